// One small driver over three browser engines, so the core end-to-end suite
// runs from one code base in every learner's browser (issue 16):
//
//   ROUNDTRIP_ENGINE=chromium  Debian's Chromium through playwright-core (browser.mjs)
//   ROUNDTRIP_ENGINE=firefox   Firefox ESR through puppeteer-core over WebDriver BiDi
//   ROUNDTRIP_ENGINE=webkit    WebKitGTK's MiniBrowser through selenium-webdriver and
//                              WebKitWebDriver (WebDriver classic: BiDi is refused); needs
//                              an X display, so run the test command under `xvfb-run -a`
//
// Every engine gets the same error guard as browser.mjs gives Chromium: any
// uncaught error, unhandled rejection, console error, Rust panic or CSP
// violation fails the test during which it happened, with browser.mjs's
// allow-list (ALLOWED).
//
// Everything but navigation, clicks and typing goes through evaluate(), one
// expression built from the function's source, so a test reads the page the
// same way in every engine. The automation protocols evaluate outside the
// page's Content Security Policy, which forbids eval.
import { afterEach } from 'node:test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED, BASE, openPage } from '../browser.mjs';

export { BASE };

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const ENGINE = process.env.ROUNDTRIP_ENGINE ?? 'chromium';
if (!ENGINES.includes(ENGINE)) throw new Error(`ROUNDTRIP_ENGINE must be one of ${ENGINES.join(', ')}, not ${ENGINE}`);

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** How long waits last unless a test says otherwise (WebKit under Xvfb is the slowest). */
export const DEFAULT_TIMEOUT = 15000;

// ---------------------------------------------------------------- errors

/** Errors seen since the last check, over every driver of this process. */
const seen = [];

/**
 * Messages an engine logs for failures a test provokes on purpose, which
 * browser.mjs's ALLOWED (written for Chromium's wording) does not cover.
 */
// Every allowed error, with its reason, is in browser.mjs's ALLOWED: one list.

function allowed(text, url) {
  return ALLOWED.some((a) => a.text.test(text) && (!a.url || a.url.test(url ?? '')));
}

function note(kind, text, url) {
  if (!allowed(text, url)) seen.push(`${kind}: ${text}${url ? ` (${url})` : ''}`);
}

const live = new Set();

/**
 * Fails the test that just ran if a page reported an error during it.
 * (Chromium's pages are guarded by browser.mjs, whose own afterEach reports
 * them; this one reads Firefox's and WebKit's.)
 */
export async function checkErrors() {
  // A late message of this test (a panic on the next tick) still belongs to it.
  await new Promise((r) => setTimeout(r, 50));
  for (const d of live) await d.collectErrors();
  const found = seen.splice(0);
  if (found.length) throw new Error(`${ENGINE} reported ${found.length} error(s):\n  ${found.join('\n  ')}`);
}

if (process.env.NODE_TEST_CONTEXT) afterEach(checkErrors);

/**
 * Runs in every document where the engine has no event for it. Firefox gets
 * it as a preload script (before the app's first line) and only for what
 * BiDi does not report (unhandled rejections, CSP violations), which it
 * turns into console errors. WebKit gets it all (console errors, uncaught
 * errors, panics logged at any level) into window.__roundtripErrors, after
 * each navigation: WebDriver classic has no preload script, and the
 * MiniBrowser's --enable-write-console-messages-to-stdout does not apply to
 * automation sessions (tried: nothing reaches stdout). An error while the
 * app starts comes before this guard; index.html's start watchdog shows it on
 * screen ("Roundtrip could not start (…)"), and WebKit's error check reads it
 * from there.
 */
function installGuard(viaConsole) {
  if (window.__roundtripGuard) return;
  window.__roundtripGuard = true;
  window.__roundtripErrors = [];
  const keep = (kind, text, url) => {
    if (viaConsole) console.error(`${kind}: ${text}`);
    else window.__roundtripErrors.push({ kind, text: String(text), url: url ?? '' });
  };
  if (!viaConsole) {
    const original = console.error;
    console.error = function (...args) {
      keep('console error', args.map(String).join(' '));
      return original.apply(this, args);
    };
    for (const level of ['log', 'warn', 'info', 'debug']) {
      const inner = console[level];
      console[level] = function (...args) {
        const text = args.map(String).join(' ');
        if (/panicked at/.test(text)) keep('Rust panic', text);
        return inner.apply(this, args);
      };
    }
    // WebKit's stacks name no functions ("@"): the message says more.
    window.addEventListener('error', (e) => keep('uncaught error', `${e.message} ${e.error?.stack ?? ''}`.trim(), e.filename));
  }
  window.addEventListener('unhandledrejection', (e) => keep('unhandled rejection', `${e.reason?.message ?? e.reason} ${e.reason?.stack ?? ''}`.trim()));
  document.addEventListener('securitypolicyviolation', (e) =>
    keep('securitypolicyviolation', `${e.violatedDirective} blocked ${e.blockedURI} in ${e.documentURI}`));
}

// ---------------------------------------------------------------- helpers

function source(fn) {
  return typeof fn === 'function' ? fn.toString() : String(fn);
}

/** `(fn)(arg)` as one expression the page evaluates. */
function call(fn, arg) {
  return `(${source(fn)})(${arg === undefined ? '' : JSON.stringify(arg)})`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 that nothing listens on (just now). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function setValue(el, value) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

// ---------------------------------------------------------------- the driver

/** What every engine's driver offers the tests. */
class Driver {
  engine = ENGINE;

  /** Opens a path of the app (or a whole URL) and waits for the load event. */
  async open(path) {
    await this.collectErrors();
    await this.goto(/^https?:/.test(path) ? path : BASE + path);
    await this.afterNavigation();
  }

  async afterNavigation() {}

  /** Evaluates `fn(arg)` in the page; its (awaited, JSON-able) result. */
  async evaluate(fn, arg) {
    return this.evaluateExpression(call(fn, arg));
  }

  /** Polls `fn(arg)` in the page until it is truthy; returns that (JSON-able) value. */
  async waitUntil(fn, arg, timeoutMs = DEFAULT_TIMEOUT) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        // A DOM node does not cross the protocols alike: it counts as true.
        const value = await this.evaluateExpression(`(async () => { const v = await ${call(fn, arg)}; return v instanceof Node ? true : v; })()`);
        if (value) return value;
        last = undefined;
      } catch (e) {
        last = e; // a navigation in progress: try again
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.engine}: not true within ${timeoutMs} ms: ${source(fn).slice(0, 200)} (${JSON.stringify(arg)})${last ? `; last error: ${last.message}` : ''}`);
      }
      await sleep(100);
    }
  }

  /** Waits for an element the learner can see: during its first render the
   *  app is built hidden (`div.app[hidden]`, src/components/later.rs). */
  async waitFor(selector, timeoutMs = DEFAULT_TIMEOUT) {
    await this.waitUntil((s) => { const e = document.querySelector(s); return e !== null && !e.closest('.app[hidden]'); }, selector, timeoutMs);
  }

  async text(selector) {
    await this.waitFor(selector);
    return this.evaluate((s) => document.querySelector(s).textContent, selector);
  }

  async attribute(selector, name) {
    await this.waitFor(selector);
    return this.evaluate(([s, n]) => document.querySelector(s).getAttribute(n), [selector, name]);
  }

  async count(selector) {
    return this.evaluate((s) => document.querySelectorAll(s).length, selector);
  }

  /** Sets a field's value as typing would, with its `input` and `change` events. */
  async fill(selector, text) {
    await this.waitFor(selector);
    await this.evaluateExpression(`((s, v) => (${setValue.toString()})(document.querySelector(s), v))(${JSON.stringify(selector)}, ${JSON.stringify(text)})`);
  }

  /** The page's address. */
  async url() {
    return this.evaluate(() => location.href);
  }
}

class ChromiumDriver extends Driver {
  static async launch() {
    const d = new ChromiumDriver();
    // browser.mjs starts Chromium with the project's flags and a new empty
    // profile, and guards every page (its afterEach reports the errors).
    ({ context: d.context, page: d.page } = await openPage());
    return d;
  }
  async goto(url) {
    await this.page.goto(url);
  }
  async evaluateExpression(expression) {
    return this.page.evaluate(expression);
  }
  async click(selector) {
    await this.page.click(selector, { timeout: DEFAULT_TIMEOUT });
  }
  async fill(selector, text) {
    await this.page.fill(selector, text, { timeout: DEFAULT_TIMEOUT });
  }
  async collectErrors() {}
  async close() {
    await this.context?.close();
  }
}

class FirefoxDriver extends Driver {
  static async launch() {
    const { default: puppeteer } = await import('puppeteer-core');
    const d = new FirefoxDriver();
    d.profile = mkdtempSync(join(tmpdir(), 'roundtrip-firefox-'));
    d.browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: d.profile,
      defaultViewport: { width: 1280, height: 900 },
      // The downloads panel that opens after a download (HAR export)
      // swallows later key presses.
      extraPrefsFirefox: { 'browser.download.alwaysOpenPanel': false },
      // The lab's HTTPS listeners use a certificate made on this machine;
      // Chromium trusts it by its pin, WebDriver's capability does it here.
      acceptInsecureCerts: true,
    });
    d.page = (await d.browser.pages())[0] ?? (await d.browser.newPage());
    d.page.setDefaultTimeout(DEFAULT_TIMEOUT);
    d.page.on('pageerror', (e) => note('uncaught error', String(e?.stack ?? e)));
    d.page.on('console', (m) => {
      const text = m.text();
      const url = m.location()?.url;
      if (m.type() === 'error') note('console error', text, url);
      else if (/panicked at/.test(text)) note('Rust panic', text, url);
    });
    // BiDi reports console calls and uncaught errors; unhandled rejections
    // and CSP violations are turned into console errors by the guard.
    await d.page.evaluateOnNewDocument(`(${installGuard.toString()})(true)`);
    live.add(d);
    return d;
  }
  async goto(url) {
    await this.page.goto(url, { waitUntil: 'load' });
  }
  async evaluateExpression(expression) {
    return this.page.evaluate(expression);
  }
  async click(selector) {
    await this.waitFor(selector);
    await this.page.locator(selector).setTimeout(DEFAULT_TIMEOUT).click();
  }
  async collectErrors() {}
  async close() {
    live.delete(this);
    await this.browser?.close();
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }
}

class WebKitDriver extends Driver {
  static async launch() {
    const { Builder } = await import('selenium-webdriver');
    const d = new WebKitDriver();
    const port = await freePort();
    d.service = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: 'ignore' });
    const exited = new Promise((_, reject) => d.service.on('exit', (code) => reject(new Error(`WebKitWebDriver exited (${code})`))));
    exited.catch(() => {});
    await Promise.race([waitForPort(port), exited]);
    d.driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        // The lab's certificate, made on this machine (see Firefox above).
        acceptInsecureCerts: true,
        'webkitgtk:browserOptions': {
          binary: MINIBROWSER,
          args: ['--automation'],
        },
      })
      .build();
    await d.driver.manage().setTimeouts({ script: DEFAULT_TIMEOUT * 2, pageLoad: 60000, implicit: 0 });
    await d.driver.manage().window().setRect({ x: 0, y: 0, width: 1280, height: 900 }).catch(() => {});
    live.add(d);
    return d;
  }

  async goto(url) {
    await this.driver.get(url);
  }
  async afterNavigation() {
    await this.evaluateExpression(`(${installGuard.toString()})(false)`);
  }
  async evaluateExpression(expression) {
    return this.driver.executeScript(`return ${expression};`);
  }
  async click(selector) {
    const { By } = await import('selenium-webdriver');
    await this.waitFor(selector);
    let last;
    for (let i = 0; i < 20; i++) {
      try {
        const el = await this.driver.findElement(By.css(selector));
        // WebDriver classic clicks where the element is on screen.
        await this.driver.executeScript('arguments[0].scrollIntoView({block: "center", inline: "center"})', el);
        await el.click();
        return;
      } catch (e) {
        last = e;
        await sleep(100);
      }
    }
    throw last;
  }
  async collectErrors() {
    if (!this.driver) return;
    let found = [];
    try {
      // Plus index.html's start watchdog: where the app could not start it
      // says why on screen (an error before this guard was installed).
      found = await this.driver.executeScript(`
        const list = (window.__roundtripErrors || []).splice(0);
        const boot = document.querySelector('[data-testid=boot-failure]:not([hidden])');
        if (boot && !window.__roundtripBootSeen) {
          window.__roundtripBootSeen = true;
          list.push({ kind: 'the app did not start', text: boot.textContent.trim(), url: location.href });
        }
        return list;`);
    } catch {
      return; // between documents: the next check reads them
    }
    for (const e of found) note(e.kind, e.text, e.url);
  }
  async close() {
    live.delete(this);
    try {
      await this.driver?.quit();
    } finally {
      this.service?.kill();
    }
  }
}

async function waitForPort(port) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`WebKitWebDriver did not listen on ${port}`);
}

/** A fresh browser of ROUNDTRIP_ENGINE with a new empty profile. */
export async function launch() {
  switch (ENGINE) {
    case 'chromium': return ChromiumDriver.launch();
    case 'firefox': return FirefoxDriver.launch();
    case 'webkit': return WebKitDriver.launch();
  }
}
