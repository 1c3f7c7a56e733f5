// Issue 19: a phone paints the page's words before the WebAssembly arrives.
// The lab fills index.html's shell with each page's heading and lead (a
// lesson's whole text, the list of lessons); the app then mounts the same
// markup in its place. For every route: the painted heading is the app's,
// the largest paint happens before the wasm has arrived, and nothing moves
// when the app takes over (no layout shift).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, BASE } from './browser.mjs';

let context;
before(async () => ({ context } = await openPage()));
after(async () => context?.close());

const ROUTES = ['/', '/lessons', '/lesson/the-cycle', '/lesson/requests', '/pages', '/timeline', '/status-codes', '/cookies'];

for (const path of ROUTES) {
  test(`${path}: its words are painted before the wasm, and do not move when the app mounts`, async () => {
    // A page of its own (its paint and layout records are its own), whose
    // wasm arrives late, as on a slow link.
    const page = await context.newPage();
    // A phone's screen (Lighthouse's mobile one): what is painted first is what is in view.
    await page.setViewportSize({ width: 412, height: 823 });
    await page.route('**/*.wasm', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await page.addInitScript(() => {
      window.__shifts = 0;
      window.__lcp = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; }).observe({ type: 'layout-shift', buffered: true });
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp.push(e.startTime); }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    try {
      await page.goto(`${BASE}${path}`, { waitUntil: 'domcontentloaded' });
      const painted = (await page.textContent('#shell main h1'))?.trim();
      assert.ok(painted, 'the shell shows a heading before the app has started');
      await page.waitForSelector('[data-testid=theme-toggle]');
      await page.waitForTimeout(400);
      assert.equal(await page.locator('#shell').count(), 0, 'the app took the shell\'s place');
      assert.equal((await page.textContent('main h1')).trim(), painted, 'the app shows the heading the lab painted');
      const { shifts, lcp, wasmEnd } = await page.evaluate(() => ({
        shifts: window.__shifts,
        lcp: window.__lcp,
        wasmEnd: performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'))?.responseEnd,
      }));
      // Zero everywhere but the timeline, whose axis labels slide a few
      // pixels as the tab's own files are recorded (about 0.002; Chrome's
      // "good" ends at 0.1).
      assert.ok(shifts < 0.005, `nothing moved (Chrome's layout-shift score: ${shifts})`);
      assert.ok(lcp.length >= 1 && wasmEnd > 0);
      assert.ok(lcp[lcp.length - 1] < wasmEnd, `the largest paint (${lcp.join(', ')} ms) came before the wasm arrived (${Math.round(wasmEnd)} ms)`);
    } finally {
      await page.close();
    }
  });
}

test('a theme the learner chose is on the painted page before the app has started', async () => {
  const page = await context.newPage();
  await page.route('**/*.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  try {
    await page.goto(`${BASE}/lessons`);
    await page.click('[data-testid=theme-toggle]');
    const chosen = await page.getAttribute('html', 'data-theme');
    assert.ok(chosen === 'dark' || chosen === 'light');
    await page.reload({ waitUntil: 'domcontentloaded' });
    assert.equal(await page.locator('#shell').count(), 1, 'the app has not started yet');
    assert.equal(await page.getAttribute('html', 'data-theme'), chosen);
    await page.waitForSelector('[data-testid=theme-toggle]');
    assert.equal(await page.getAttribute('html', 'data-theme'), chosen);
    // Back to following the system, for the other tests.
    await page.evaluate(() => localStorage.removeItem('roundtrip.theme'));
  } finally {
    await page.close();
  }
});
