// Issue 34, items 5 and 6: a HAR opened by a link (`/pages?har=…`) or picked
// as a file can hold any value, and the app names what it cannot use and
// keeps working; a link can open a HAR from this origin only, as the browser
// reads the link. A lab of the test's own serves the app from a folder that
// holds dist's files (symbolic links) and the crafted HARs, so `/pages` is
// the app and `/bad.har` a file on the same origin. (`--pages DIR` would not
// do: it takes `/pages` itself, and a link to /pages?har=… gets the folder.)
// Usage: ROUNDTRIP_LAB_BIN=target/debug/roundtrip-lab ROUNDTRIP_DIST=dist node --test tests/e2e/harlink.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLab } from './spawn-lab.mjs';

const bin = resolve(process.env.ROUNDTRIP_LAB_BIN ?? 'target/debug/roundtrip-lab');
const dist = resolve(process.env.ROUNDTRIP_DIST ?? 'dist');
assert.ok(existsSync(bin), `${bin}: the lab binary (cargo build -p roundtrip-lab)`);
assert.ok(existsSync(join(dist, 'index.html')), `${dist}: the built app (cargo xtask build)`);

const site = mkdtempSync(join(tmpdir(), 'roundtrip-harlink-'));
for (const name of readdirSync(dist)) symlinkSync(join(dist, name), join(site, name));

const response = (more = {}) => ({
  status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [],
  content: { size: 100, mimeType: 'text/javascript' }, redirectURL: '', headersSize: -1, bodySize: 100, ...more,
});
const entry = (url, started, more = {}) => ({
  startedDateTime: started,
  time: 5,
  request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
  response: response(),
  cache: {},
  timings: { send: 1, wait: 3, receive: 1 },
  ...more,
});
const FAR = '+275760-09-13T00:00:00.001Z';
// Dates past what a JavaScript Date holds (its toISOString threw "Invalid
// time value" and the app's executor stayed borrowed), numbers that are no
// numbers, sizes past any file, a status that is no status, an object
// nested 300 deep where a number belongs; and one ordinary entry.
let deep = {};
for (let i = 0; i < 300; i++) deep = { d: deep };
const bad = {
  log: {
    version: '1.2',
    creator: { name: 'roundtrip-e2e', version: '1' },
    pages: [
      { id: 'far', title: 'Far future', startedDateTime: FAR, pageTimings: { onContentLoad: 'NaN', onLoad: 1e300 } },
      { id: 'big-year', title: 'Year 999999', startedDateTime: '999999-01-01T00:00:00Z', pageTimings: { onContentLoad: -5, onLoad: 12 } },
    ],
    entries: [
      entry('https://far.example/a.js', FAR, { pageref: 'far' }),
      entry('https://far.example/b.js', '275760-09-13T00:00:00.001Z', { pageref: 'far', time: 'soon', timings: { send: -7, wait: 'NaN', receive: 1e300 } }),
      entry('https://far.example/c.js', '999999-01-01T00:00:00Z', {
        pageref: 'big-year',
        response: response({ status: 200.5, _transferSize: 1e308, bodySize: 12.5, content: { size: -3, mimeType: [] } }),
      }),
      entry('https://far.example/d.js', '2024-01-01T00:00:00.000Z', { pageref: 'big-year', _bytesIn: deep }),
      entry('https://ok.example/ok.js', '2024-01-01T00:00:00.000Z', { pageref: 'big-year' }),
    ],
  },
};
writeFileSync(join(site, 'bad.har'), JSON.stringify(bad));

const { lab, url } = await startLab(bin, ['--host', '127.0.0.1', '--port', '0', '--https-port', 'off', '--dist', site], {
  ready: (line) => line.match(/listening on (http:\/\/[^/]+)\//)?.[1],
});
process.env.ROUNDTRIP_URL = url;
const { openPage } = await import('./browser.mjs');

let context;
let page;
before(async () => ({ context, page } = await openPage()));
after(async () => {
  await context?.close();
  lab.kill('SIGTERM');
  rmSync(site, { recursive: true, force: true });
});

/** What the import says on screen, once it has said it. */
async function notes() {
  const notes = page.locator('[data-testid=har-notes]');
  await notes.waitFor();
  return notes.textContent();
}

/** Every unusable value of bad.har, named on screen; the rest imported. */
async function assertBadHarShown() {
  const said = await notes();
  for (const expected of [
    `In 2 pages of log.pages, startedDateTime is not an ISO 8601 date and time from the years 0000 to 9999 (the first, page 1: "${FAR}"); each is replaced by the time of the page's first entry.`,
    'In 2 pages of log.pages, pageTimings.onContentLoad is not a number of milliseconds from 0 to 1000000000 (or -1: not told) (the first, page 1: "NaN"); each is not shown.',
    'Page 1 of log.pages: pageTimings.onLoad is 1e300, not a number of milliseconds from 0 to 1000000000 (or -1: not told); it is not shown.',
    `In 3 entries, startedDateTime is not an ISO 8601 date and time from the years 0000 to 9999 (the first, entry 1: "${FAR}"); each is drawn at the start of its page.`,
    'Entry 2: time is "soon"',
    'Entry 2: timings.send is -7',
    'Entry 2: timings.wait is "NaN"',
    'Entry 2: timings.receive is 1e300',
    'Entry 3: response.status is 200.5',
    'Entry 3: response._transferSize is 1e308',
    'Entry 3: response.bodySize is 12.5',
    'Entry 3: response.content.size is -3',
    'Entry 3: response.content.mimeType is an array',
    'Entry 4: _bytesIn is an object, not a whole number of bytes',
    'The file holds 2 page loads',
  ]) {
    assert.ok(said.includes(expected), `on screen: ${expected}\n---\n${said}`);
  }
  // The rest is imported: the page with the readable entry first, each
  // page on its own, the page picker's labels without a date it cannot write.
  await page.waitForFunction(() => document.querySelector('[data-testid=load-total]')?.textContent === '3');
  const labels = await page.locator('[data-testid=har-page] option').allTextContents();
  assert.deepEqual(labels, ['Year 999999 — 3 requests', 'Far future — 2 requests']);
  await page.selectOption('[data-testid=har-page]', '1');
  await page.locator('[data-testid=wf-row][data-url="https://far.example/b.js"]').waitFor();
  assert.equal(await page.textContent('[data-testid=load-total]'), '2');
}

/** The app still runs: to the workbench by its own link, and a request sent and answered. */
async function assertAppStillWorks() {
  await page.click('nav a[href="/"]');
  await page.waitForSelector('[data-testid=send]');
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result]');
  assert.equal(await page.textContent('[data-testid=status]'), '200');
}

test('a HAR with dates past the year 275760 and unusable numbers, opened by a link: each is named, the rest shown, and the app goes on', async () => {
  await page.goto(`${url}/pages?har=${encodeURIComponent('/bad.har')}`);
  await assertBadHarShown();
  assert.equal(await page.locator('[data-testid=har-message]').count(), 0, 'named as notes, not as an error');
  await assertAppStillWorks();
});

test('the same HAR picked as a file: the same notes, and the app goes on', async () => {
  await page.goto(`${url}/pages`);
  await page.setInputFiles('[data-testid=har-file]', join(site, 'bad.har'));
  await assertBadHarShown();
  await assertAppStillWorks();
});

test('a link to a HAR on another origin, written as the browser reads it, is refused with that origin and never fetched', async () => {
  const asked = [];
  page.on('request', (r) => asked.push(r.url()));
  const port = new URL(url).port;
  for (const [value, origin] of [
    [`/\\127.0.0.2:${port}/bad.har`, `http://127.0.0.2:${port}`],
    [`/\t/127.0.0.2:${port}/bad.har`, `http://127.0.0.2:${port}`],
    [`//127.0.0.2:${port}/bad.har`, `http://127.0.0.2:${port}`],
  ]) {
    await page.goto(`${url}/pages?har=${encodeURIComponent(value)}`);
    const message = page.locator('[data-testid=har-message]');
    await message.waitFor();
    const text = await message.textContent();
    assert.ok(text.includes(`which the browser reads as an address on ${origin}: Roundtrip opens only a path on this server (${url})`), text);
    assert.equal(await page.locator('[data-testid=load-total]').count(), 0, 'nothing imported');
  }
  assert.deepEqual(asked.filter((u) => new URL(u).hostname === '127.0.0.2'), [], 'no request left for the other origin');
  // The same file by a path on this origin still opens.
  await page.goto(`${url}/pages?har=${encodeURIComponent('bad.har')}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=load-total]')?.textContent === '3');
});
