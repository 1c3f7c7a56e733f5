// The journey view and the live timeline, in real Chromium against the lab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage, closedPort, BASE } from './browser.mjs';

let context;
let page;

before(async () => ({ context, page } = await openPage()));
after(async () => context?.close());

/** Sends a request from the workbench and waits for its outcome. */
async function sendFromWorkbench(query) {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('[data-testid=send]');
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result], [data-testid=failure]');
}

/** "301.2 ms" or "1.25 s" as milliseconds. */
function ms(text) {
  const t = text.trim();
  return t.endsWith(' s') ? parseFloat(t) * 1000 : parseFloat(t);
}

function step(title) {
  return page.locator('[data-testid=journey-steps] li', { hasText: title });
}

// First in this file: the browser has not talked to the lab's other
// loopback name yet, so a connection must be set up there.
test('send twice compares a cold and a warm run: connection setup is paid once', async () => {
  await page.goto(`${BASE}/?url=%2Flab%2Fget`);
  await page.waitForSelector('[data-testid=send-twice]');
  await page.click('[data-testid=send-twice]');
  await page.waitForSelector('[data-testid=cold-warm]');
  if (await page.locator('[data-testid=fresh-host]').count()) {
    assert.match(await page.textContent('[data-testid=cold-warm-verdict]'), /Both requests reused/);
    await page.click('[data-testid=fresh-host]');
    await page.waitForFunction(() => /localhost|127\.0\.0\.1/.test(document.querySelector('[data-testid=url]').value) && document.querySelector('[data-testid=send]') && !document.querySelector('[data-testid=send]').disabled);
    await page.waitForSelector('[data-testid=cold-warm]');
  }
  assert.match(await page.textContent('[data-testid=cold-warm-verdict]'), /the first time and nothing the second/);
  const rows = page.locator('[data-testid=cold-warm] tbody tr', { hasText: 'TCP connect' });
  const [first, second] = await rows.locator('td').allTextContents();
  assert.match(first, /\d+\.\d+ ms/, `first run connects: ${first}`);
  assert.match(second, /connection reused/, `second run reuses: ${second}`);
});

test('a slow server shows its wait in the journey and on the timeline', async () => {
  await sendFromWorkbench('?url=%2Flab%2Fdelay%2F0.3');
  const figure = await step('Server processing').locator('[data-testid=journey-figure]').textContent();
  assert.ok(ms(figure) >= 300, `journey server step: ${figure}`);
  assert.match(await step('Server processing').textContent(), /delay/, 'the server reports its own delay step');

  await page.click('nav a[href="/timeline"]');
  const row = page.locator('[data-testid=wf-row][data-url$="/lab/delay/0.3"]');
  await row.waitFor();
  assert.ok(ms(await row.locator('.wf-total').textContent()) >= 300);
  await row.locator('button').click();
  await page.waitForSelector('[data-testid=timeline-detail]');
  const waiting = await page.textContent('[data-testid=phase-waiting] [data-testid=phase-value]');
  assert.ok(ms(waiting) >= 300, `timeline detail waiting: ${waiting}`);
});

test('a redirect chain shows as redirects followed, then the final answer', async () => {
  await sendFromWorkbench('?url=%2Flab%2Fredirect%2F2');
  assert.equal(await page.textContent('[data-testid=status]'), '200');
  assert.match(await page.textContent('[data-testid=result]'), /redirected to .*\/lab\/get/);
  assert.match(await step('Redirects followed').textContent(), /measured/);
  assert.match(await page.textContent('[data-testid=phase-redirect]'), /measured/);
});

test('a timeout stops at the server with the clock run out', async () => {
  await sendFromWorkbench('?url=%2Flab%2Fdelay%2F2&timeout=300');
  const server = await step('Server processing').textContent();
  assert.match(server, /clock ran out after 300 ms/);
  assert.match(await step('Response sent back').textContent(), /no response arrived/);
});

test('an unreachable port never gets a response: no lookup for an address, the journey stops at the connection', async () => {
  await sendFromWorkbench('?url=' + encodeURIComponent(`http://127.0.0.1:${await closedPort()}/`));
  assert.match(await step('DNS lookup').textContent(), /no lookup: the address is already a number/);
  assert.match(await step('TCP connect').textContent(), /connection was refused/);
  assert.match(await step('Response sent back').textContent(), /no response arrived/);
});

test('the journey steps forward on Next and marks the current step', async () => {
  await sendFromWorkbench('');
  await page.click('[data-testid=journey-next]');
  const current = () => page.locator('[data-testid=journey-steps] li[aria-current=step]').textContent();
  const first = await current();
  await page.click('[data-testid=journey-next]');
  assert.notEqual(await current(), first);
  assert.equal(await page.textContent('[data-testid=journey-play]'), 'Play', 'stepping pauses the animation');
});

test('the timeline filters by type and search, and exports a HAR with one entry per request', async () => {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('[data-testid=send]');
  for (const url of ['/lab/get?har=1', '/lab/status/404', '/lab/status/503']) {
    await page.fill('[data-testid=url]', url);
    await page.click('[data-testid=send]');
    await page.waitForFunction((u) => document.querySelector('[data-testid=result] .url')?.textContent.endsWith(u), url);
  }
  await page.click('nav a[href="/timeline"]');
  await page.locator('[data-testid=wf-row][data-url$="/lab/status/503"]').waitFor();
  const total = Number(await page.textContent('[data-testid=timeline-total]'));
  assert.ok(total >= 7, `the app's own files plus three requests: ${total}`);
  assert.equal(await page.locator('[data-testid=wf-row][data-url$="/lab/status/404"] [data-testid=wf-status]').textContent(), '404');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-har]')]);
  const har = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(har.log.version, '1.2');
  assert.equal(har.log.entries.length, total);
  const byUrl = (suffix) => har.log.entries.find((e) => e.request.url.endsWith(suffix));
  assert.equal(byUrl('/lab/get?har=1').response.status, 200);
  assert.equal(byUrl('/lab/status/404').response.status, 404);
  assert.equal(byUrl('/lab/status/503').response.status, 503);
  assert.equal(byUrl('/lab/status/503').response.statusText, 'Service Unavailable');
  assert.deepEqual(byUrl('/lab/get?har=1').request.queryString, [{ name: 'har', value: '1' }]);
  for (const e of har.log.entries) {
    for (const k of ['send', 'wait', 'receive']) assert.ok(e.timings[k] >= 0, `${e.request.url} ${k}`);
    assert.ok(Math.abs(e.time - ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].map((k) => Math.max(0, e.timings[k])).reduce((a, b) => a + b)) < 0.01);
  }

  await page.check('[data-testid=filter-fetch]');
  const fetchRows = await page.locator('[data-testid=wf-row]').count();
  assert.equal(fetchRows, 3, 'only the three fetches');
  await page.fill('[data-testid=timeline-search]', 'status/5');
  assert.equal(await page.locator('[data-testid=wf-row]').count(), 1);
});

test('each figure says where it comes from: measured by the browser, reported by the server, or derived; loopback is no distance', async () => {
  await sendFromWorkbench('?url=' + encodeURIComponent('/lab/delay/0.2'));
  assert.match(await step('Server processing').textContent(), /reported by the server \(Server-Timing\)/);
  assert.doesNotMatch(await step('Server processing').textContent(), /measured by the browser/);
  const sent = await step('Request sent').textContent();
  assert.match(sent, /derived: the browser's wait \([\d.]+ ms\) minus the server's own report \([\d.]+ ms\)/);
  assert.match(await step('Response sent back').textContent(), /measured by the browser/);
  assert.match(await page.textContent('[data-testid=journey-loopback]'), /no network in between/);
  // The Timing tab's split of the wait is the journey's "Request sent", to the digit.
  const journeyFigure = await step('Request sent').locator('[data-testid=journey-figure]').textContent();
  // The workbench shows every panel at once (a lesson shows them as tabs).
  const rest = await page.textContent('[data-testid=wait-rest] strong');
  assert.equal(parseFloat(rest), parseFloat(journeyFigure), `${rest} in the Timing tab, ${journeyFigure} in the journey`);
});
