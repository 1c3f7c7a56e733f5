// Starts Debian's Chromium for the end-to-end tests and the benchmarks, and
// guards every page it opens: any uncaught error, console error, Rust panic
// or CSP violation fails the test during which it happened (see ALLOWED for
// the few a test provokes on purpose).
import { chromium } from 'playwright-core';
import { afterEach } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = (process.env.ROUNDTRIP_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

// Without the background-networking flags Chromium keeps dialling out, and
// this machine's closed network refuses it.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * The only browser errors a test may cause, each with why it is not a fault
 * of the app. `text` matches the message; `url`, when given, must match the
 * resource the message is about (Chromium names it as the message's location).
 */
export const ALLOWED = [
  {
    text: /^Failed to load resource: the server responded with a status of [45]\d\d/,
    url: /\/lab\//,
    reason: 'lessons and the workbench ask the lab for 4xx and 5xx answers on purpose (status codes, what breaks); Chromium logs each as a console error',
  },
  {
    text: /^Failed to load resource: the server responded with a status of 404/,
    url: /\/lessons\/[^/]+\.json$/,
    reason: 'a link to a lesson that does not exist (mistyped, or a file the lab left out) asks for its JSON and gets 404; the page says "No such lesson"',
  },
  {
    text: /^Failed to load resource: net::ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|CONNECTION_RESET|EMPTY_RESPONSE)/,
    reason: 'the "what breaks" lesson and the failure tests send to a closed port and an unknown host on purpose',
  },
  {
    text: /^(Error: )?Cross-Origin Request Blocked: .*\(Reason: CORS request did not succeed\)/,
    reason: 'Firefox words a cross-origin request that got no answer at all (a refused port, an unknown host) as a CORS error; the failure tests provoke it on purpose',
  },
  {
    text: /^Access to fetch at '[^']*\/lab\/account' from origin '[^']*' has been blocked by CORS policy/,
    reason: 'the safety test\'s page on another port tries to read a learner\'s account with cookies: the lab refuses, and Chromium says so',
  },
  {
    text: /^Failed to load resource: net::ERR_FAILED/,
    url: /\/lab\/account$/,
    reason: 'the safety test\'s page on another port tries to read a learner\'s account with cookies: the lab refuses, and Chromium says so',
  },
  {
    text: /no-cors-headers-here|CORS|access control|Access-Control-Allow-Origin|^Failed to load resource/i,
    url: /\/no-cors-headers-here$/,
    reason: 'the failure tests ask a server that answers without CORS headers on purpose (a path only they use); each engine reports the block',
  },
  {
    text: /\/no-cors-headers-here\b.*(CORS|access control|Access-Control-Allow-Origin)|(CORS|access control|Access-Control-Allow-Origin).*\/no-cors-headers-here\b/i,
    reason: 'the same, where the engine names the URL in the message rather than as its location',
  },
  {
    text: /^Failed to load resource: the server responded with a status of 404/,
    url: /\/lesson\/[^/?#]+$/,
    reason: 'an unknown lesson\'s link answers 404 with the app, which says so; a plain static host answers every deep link with 404.html (the app), as GitHub Pages does',
  },
];

/** Errors seen since the last check, over every guarded page. */
const seen = [];

function allowed(text, url) {
  return ALLOWED.some((a) => a.text.test(text) && (!a.url || a.url.test(url ?? '')));
}

function note(kind, text, url) {
  if (!allowed(text, url)) seen.push(`${kind}: ${text}${url ? ` (${url})` : ''}`);
}

function guardPage(page) {
  page.on('pageerror', (e) => note('uncaught error', String(e.stack ?? e)));
  page.on('console', (m) => {
    const text = m.text();
    const url = m.location()?.url;
    if (m.type() === 'error') note('console error', text, url);
    else if (/panicked at/.test(text)) note('Rust panic', text, url);
  });
}

/**
 * Takes the errors a test provoked on purpose out of the record (each
 * pattern must match at least one, so the provocation is proven too);
 * returns what it took. Everything else still fails the test.
 */
export async function expectErrors(...patterns) {
  await new Promise((r) => setTimeout(r, 50));
  const taken = [];
  for (const p of patterns) {
    const hits = seen.filter((e) => p.test(e));
    if (!hits.length) throw new Error(`expected the browser to report an error matching ${p}; it reported: ${seen.join('; ') || 'none'}`);
    taken.push(...hits);
  }
  for (const t of taken) seen.splice(seen.indexOf(t), 1);
  return taken;
}

/** Fails the test that just ran if a guarded page reported an error during it. */
export async function checkErrors() {
  // A late message of this test (a panic on the next tick) still belongs to it.
  await new Promise((r) => setTimeout(r, 50));
  const found = seen.splice(0);
  if (found.length) throw new Error(`the browser reported ${found.length} error(s):\n  ${found.join('\n  ')}`);
}

// Only inside node's test runner: the benchmarks import this file too.
if (process.env.NODE_TEST_CONTEXT) afterEach(checkErrors);

/**
 * A loopback port nobody listens on (it was free a moment ago), for a
 * connection that is really refused: browsers will not even dial port 9 and
 * other "unsafe" ports, which would test something else.
 */
export async function closedPort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let labPin;
/**
 * Chromium's flag that trusts the lab's certificate by its SPKI pin (read
 * from the lab's `/lab/https`), as a learner who installed it would: the
 * page stays a secure context and the HTTP cache works over HTTPS. None when
 * the lab serves no HTTPS.
 */
export async function trustLabArgs() {
  labPin ??= fetch(`${BASE}/lab/https`)
    .then((r) => (r.ok ? r.json() : null))
    .then((info) => (info ? [`--ignore-certificate-errors-spki-list=${info.pin}`] : []))
    .catch(() => []);
  return labPin;
}

/** A fresh browser with a new empty profile (`options` go to Playwright). */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'roundtrip-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...(await trustLabArgs())],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  // Every document (frames included) reports CSP violations as console errors.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI} in ${e.documentURI}`));
  });
  context.pages().forEach(guardPage);
  context.on('page', guardPage);
  return context;
}

/** A fresh browser and its first page. */
export async function openPage(options = {}) {
  const context = await launch(options);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
