// Safe to open and usable by everyone: the CSP holds on every route while it
// runs its main interaction, axe-core finds nothing serious, and nothing
// overflows a 375 px phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openPage, BASE } from './browser.mjs';
import { ROUTES } from './routes.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let context;
let page;
before(async () => {
  ({ context, page } = await openPage());
  // Collected from the first script on, in every document of the tab.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});
after(async () => context?.close());

async function open(route) {
  const response = await page.goto(BASE + route.path);
  await page.waitForSelector(route.ready);
  return response;
}

for (const route of ROUTES) {
  test(`${route.path}: a CSP header, and no violation while it runs`, async () => {
    const csp = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
    const response = await open(route);
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    await route.run(page);
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(csp, []);
  });

  test(`${route.path}: axe-core finds no serious or critical violation, light and dark`, async () => {
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await open(route);
      await route.run(page);
      // Evaluated through the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(AXE);
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      assert.deepEqual(result, [], colorScheme);
    }
    await page.emulateMedia({ colorScheme: null });
  });

  test(`${route.path}: at 375 px nothing scrolls sideways and touch targets are 44 px`, async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await open(route);
      await route.run(page);
      const [scroll, client, wide] = await page.evaluate(() => {
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.table-scroll, .waterfall, pre, .scroll-x'))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
        return [d.scrollWidth, d.clientWidth, wide];
      });
      assert.ok(scroll <= client, `scrollWidth ${scroll} > clientWidth ${client}: ${wide.join(', ')}`);
      // No table squeezes a column to a letter a line (the status codes'
      // meanings and the cookie jar's Value once were).
      const squeezed = await page.evaluate(() => [...document.querySelectorAll('th, td')]
        // (a heading row kept only for screen readers is a pixel high)
        .filter((c) => !(c.closest('thead')?.getBoundingClientRect().height <= 1))
        .filter((c) => { const r = c.getBoundingClientRect(); return r.width > 0 && r.width < 40 && c.textContent.trim().length > 3; })
        .slice(0, 5)
        .map((c) => `${c.tagName.toLowerCase()} “${c.textContent.trim().slice(0, 20)}” ${Math.round(c.getBoundingClientRect().width)} px`));
      assert.deepEqual(squeezed, [], 'table cells too narrow for their words');
      // Touch targets: 44 px (a checkbox counts with its label; links inside text are exempt).
      const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input, textarea, summary, a')]
        .map((e) => {
          // A control inside a label can be hit on either: the larger counts.
          const own = e.getBoundingClientRect();
          const label = e.closest('label')?.getBoundingClientRect() ?? own;
          return [e, { width: Math.max(own.width, label.width), height: Math.max(own.height, label.height) }];
        })
        .filter(([e, b]) => b.width > 0 && b.height > 0 && (b.height < 44 || b.width < 44) && !(e.tagName === 'A' && e.closest('p, li, td')))
        .slice(0, 5)
        .map(([e, b]) => `${e.tagName.toLowerCase()}[${e.getAttribute('data-testid') ?? e.textContent.trim().slice(0, 20)}] ${Math.round(b.width)}×${Math.round(b.height)}`));
      assert.deepEqual(small, [], 'touch targets under 44 px');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
}

test('the dark theme toggles and is remembered across a reload', async () => {
  await page.goto(`${BASE}/lessons`);
  await page.waitForSelector('[data-testid=theme-toggle]');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  if ((await page.getAttribute('[data-testid=theme-toggle]', 'aria-pressed')) === 'true') {
    await page.click('[data-testid=theme-toggle]');
  }
  await page.click('[data-testid=theme-toggle]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const dark = await background();
  assert.notEqual(dark, light);
  const [r, g, b] = dark.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `a dark background: ${dark}`);
  await page.reload();
  await page.waitForSelector('[data-testid=theme-toggle]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('[data-testid=theme-toggle]', 'aria-pressed'), 'true');
  assert.equal(await background(), dark);
  await page.click('[data-testid=theme-toggle]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
});

test('served by a plain static server, the app talks to a lab elsewhere and says what needs one', async () => {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { join, extname, normalize } = await import('node:path');
  const dist = process.env.ROUNDTRIP_DIST ?? 'dist';
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
  // A plain static server: files only, no lab, no fallback, no headers of note.
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(dist, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? (path === '/' ? 'text/html' : 'application/octet-stream') });
      res.end(body);
    } catch {
      // As GitHub Pages and Netlify do: an unknown path gets 404.html.
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(await readFile(join(dist, '404.html')).catch(() => '<!doctype html><title>404</title>Not found'));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const staticBase = `http://127.0.0.1:${server.address().port}`;
  try {
    await page.goto(`${staticBase}/`);
    await page.waitForSelector('[data-testid=send]');
    await page.waitForSelector('[data-testid=no-lab]');
    assert.match(await page.textContent('[data-testid=no-lab]'), /cargo xtask serve/);
    // A lab on another port allows cross-origin requests: type its full URL.
    await page.fill('[data-testid=url]', `${BASE}/lab/anything?from=static`);
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=result]');
    assert.equal(await page.textContent('[data-testid=status]'), '200');
    assert.match(await page.textContent('[data-testid=echo-raw]'), /^origin: http:\/\/127\.0\.0\.1:\d+$/m);
    // A lesson that needs the lab says so, instead of failing silently; its
    // deep link works through the host's 404.html.
    await page.goto(`${staticBase}/lesson/methods`);
    await page.waitForSelector('[data-testid=lesson] [data-testid=no-lab]');
    assert.match(await page.textContent('[data-testid=no-lab]'), /This lesson's experiment needs the lab/);
  } finally {
    server.close();
  }
});

test('under reduced motion the journey waits for Next, and its steps read as a numbered list', async () => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await page.goto(`${BASE}/lesson/the-cycle`);
    await page.click('[data-testid=try-1]');
    await page.waitForSelector('[data-testid=journey]');
    assert.equal(await page.textContent('[data-testid=journey-play]'), 'Play', 'nothing plays by itself');
    const where = () => page.getAttribute('.packet-track', 'style');
    const before = await where();
    await page.waitForTimeout(600);
    assert.equal(await where(), before, 'the message has not moved');
    await page.click('[data-testid=journey-next]');
    assert.notEqual(await where(), before, 'Next moves it');
    const steps = await page.locator('[data-testid=journey-steps] > li .jtitle').allTextContents();
    assert.deepEqual(steps.slice(0, 3), ['1. You act', '2. DNS lookup', '3. TCP connect']);
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid=journey-steps]').tagName), 'OL');
    assert.equal(await page.getAttribute('.outcome', 'aria-live'), 'polite', 'results are announced');
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
});

test('a page on another port can neither run script on the lab\'s origin nor read a learner\'s account', async () => {
  // The learner logs in on the app's own origin: a session cookie for /lab.
  await page.goto(`${BASE}/`);
  await page.waitForSelector('[data-testid=send]');
  const login = await page.evaluate(async () => {
    const r = await fetch('/lab/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=learner&password=opensesame' });
    const mine = await fetch('/lab/account');
    return [r.status, mine.status];
  });
  assert.deepEqual(login, [200, 200], 'logged in, and the app itself reads the account');

  // Another web server on this machine, any port: same site, another origin.
  const { createServer } = await import('node:http');
  const evil = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>evil</title><script>
      fetch(${JSON.stringify(BASE)} + '/lab/account', { credentials: 'include' })
        .then((r) => r.text()).then((t) => { document.title = 'read: ' + t; }, () => { document.title = 'refused'; });
    </script>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${evil.address().port}/`);
    await page.waitForFunction(() => document.title !== 'evil');
    assert.equal(await page.title(), 'refused', 'the browser withholds the credentialed answer from another origin');

    // The old script injection: a query that asked for an HTML page.
    const attack = `${BASE}/lab/response-headers?Content-Type=text/html&x=${encodeURIComponent('<script>document.title="pwned"</script>')}`;
    const response = await page.goto(attack);
    assert.equal(response.status(), 400);
    assert.match(response.headers()['content-type'], /^application\/json/);
    assert.match(response.headers()['content-security-policy'], /sandbox/);
    assert.notEqual(await page.title(), 'pwned', 'nothing ran on the lab\'s origin');
    assert.match(await page.textContent('body'), /Content-Type/);
  } finally {
    evil.close();
  }
});
