// Issue 19: each route's code is a file of its own, fetched on the route's
// first visit (src/split.rs, xtask/src/split.rs). A deep link straight into
// each such route opens it; the lesson index needs only the first wasm; and
// a route whose file does not arrive says so, with a retry, instead of a
// blank page (a panic would abort the whole app).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, expectErrors, BASE } from './browser.mjs';

let context;
before(async () => ({ context } = await openPage()));
after(async () => context?.close());

// Each route, the file with its code (model::split), and the heading the
// page shows.
const ROUTES = [
  ['/', 'learn', 'Send a real request'],
  ['/lesson/the-cycle', 'learn', '10. The request/response cycle, step by step'],
  ['/timeline', 'timeline', 'Every request in this tab'],
  ['/pages', 'pages', 'What does one page load cost?'],
  ['/status-codes', 'learn', 'Status codes'],
  ['/cookies', 'learn', 'Cookies: memory for stateless HTTP'],
];
// The result views come after the page, in the background, where a page
// has a request bar.
const LATER = 'results';

/** The wasm files a page fetched, by file name. */
async function wasmFiles(page) {
  return page.evaluate(() =>
    performance.getEntriesByType('resource').map((r) => r.name.split('/').pop()).filter((n) => n.endsWith('.wasm')));
}

/** Aborts the page's requests for `file` (a glob) until the returned function is called. */
async function failUntilLifted(page, file) {
  let block = true;
  await page.route(`**/${file}`, (route) => (block ? route.abort('connectionreset') : route.continue()));
  return () => { block = false; };
}

async function mounted(page) {
  await page.waitForSelector('[data-testid=theme-toggle]');
  await page.waitForFunction(() => !document.getElementById('shell'));
}

for (const [path, part, heading] of ROUTES) {
  test(`a link straight to ${path} opens it, with its own file`, async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${BASE}${path}`);
      await mounted(page);
      await page.waitForFunction((h) => document.querySelector('main h1')?.textContent.trim() === h, heading);
      assert.equal(await page.locator('[data-testid=chunk-error]').count(), 0);
      assert.equal(await page.locator('.chunk-loading').count(), 0, 'the app mounted once the route\'s file was in');
      const files = await wasmFiles(page);
      assert.ok(files.some((f) => f.startsWith(`split_roundtrip_${part}-`)), `fetched ${part}'s file: ${files.join(', ')}`);
      const others = files.filter((f) => f.startsWith('split_roundtrip_') && !f.startsWith(`split_roundtrip_${part}-`) && !f.startsWith(`split_roundtrip_${LATER}-`));
      assert.deepEqual(others, [], 'and no other part\'s');
      // The lab named them in the page, so they were asked for beside the
      // first wasm, and each only once.
      const named = await page.evaluate(() => document.querySelector('meta[name=roundtrip-code]')?.content.split(' ') ?? []);
      assert.ok(named.some((f) => f.startsWith(`split_roundtrip_${part}-`)), `named: ${named.join(', ')}`);
      assert.equal(new Set(files).size, files.length, `no file twice: ${files.join(', ')}`);
      // Asked for by index.html's loader (it fetches every named file into
      // this map as the first wasm starts), and taken from there by the
      // split loader: the map exists, no longer holds the file, and the file
      // came once. (Not a time window: a busy machine shifts those.)
      const early = await page.evaluate((prefix) => {
        const map = globalThis.__roundtripEarly;
        return map instanceof Map ? [...map.keys()].filter((u) => u.split('/').pop().startsWith(prefix)) : null;
      }, `split_roundtrip_${part}-`);
      assert.deepEqual(early, [], 'index.html fetched the route\'s file, and the split loader took it from there');
    } finally {
      await page.close();
    }
  });
}

test('the lesson index needs only the first wasm; a route\'s file comes when the route is opened', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}/lessons`);
    await mounted(page);
    await page.waitForSelector('li.lesson-item');
    assert.deepEqual((await wasmFiles(page)).filter((f) => !/^roundtrip-[0-9a-f]{16}_bg\.wasm$/.test(f)), [], 'no other wasm before a route needs it');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status codes' }).click();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Status codes');
    assert.ok((await wasmFiles(page)).some((f) => f.startsWith('split_roundtrip_learn-')));
  } finally {
    await page.close();
  }
});

test('a route whose file does not arrive says so and offers a retry that works', async () => {
  const page = await context.newPage();
  const lift = await failUntilLifted(page, 'split_roundtrip_timeline-*.wasm');
  try {
    await page.goto(`${BASE}/lessons`);
    await mounted(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline' }).click();
    const alert = page.locator('[data-testid=chunk-error]');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.equal((await alert.locator('h1').textContent()).trim(), 'This page did not load');
    assert.match(await alert.textContent(), /did not arrive from the server/);
    // The app is alive: the header still works, and so does the retry.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cookies' }).click();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Cookies: memory for stateless HTTP');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline' }).click();
    await alert.waitFor();
    lift();
    await page.getByTestId('chunk-retry').click();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Every request in this tab');
    assert.equal(await alert.count(), 0);
    await expectErrors(/ERR_CONNECTION_RESET|split_roundtrip_timeline|TypeError|Failed to fetch/);
  } finally {
    await page.close();
  }
});

test('a deep link whose route file does not arrive shows the message, not a blank page', async () => {
  const page = await context.newPage();
  const lift = await failUntilLifted(page, 'split_roundtrip_learn-*.wasm');
  try {
    await page.goto(`${BASE}/cookies`);
    await mounted(page);
    await page.locator('[data-testid=chunk-error]').waitFor();
    lift();
    await page.getByTestId('chunk-retry').click();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Cookies: memory for stateless HTTP');
    await expectErrors(/ERR_CONNECTION_RESET|split_roundtrip_learn|TypeError|Failed to fetch/);
  } finally {
    await page.close();
  }
});

test('a result\'s view whose file does not arrive says so in place, and the retry shows the result', async () => {
  const page = await context.newPage();
  const lift = await failUntilLifted(page, 'split_roundtrip_results-*.wasm');
  try {
    await page.goto(`${BASE}/?url=%2Flab%2Fget`);
    await mounted(page);
    await page.getByTestId('send').click();
    const alert = page.locator('.outcome [data-testid=chunk-error]');
    await alert.waitFor();
    assert.equal((await alert.locator('h2').textContent()).trim(), 'This part of the page did not load');
    // The page around it is whole: the request bar still sends.
    assert.equal(await page.locator('main h1').textContent(), 'Send a real request');
    lift();
    await alert.getByTestId('chunk-retry').click();
    await page.locator('.outcome [data-testid=status]').waitFor();
    assert.equal((await page.textContent('.outcome [data-testid=status]')).trim(), '200');
    assert.equal(await alert.count(), 0);
    await expectErrors(/ERR_CONNECTION_RESET|split_roundtrip_results|TypeError|Failed to fetch/);
  } finally {
    await page.close();
  }
});
