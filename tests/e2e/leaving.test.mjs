// Leaving mid-flight: every page that starts async work (requests, polls,
// timers) is left at once, the late results arrive, and the app still works.
// The release build aborts on panic; the shared browser guard fails a test on
// any panic or console error (browser.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, BASE, expectErrors } from './browser.mjs';

let context;
let page;
before(async () => ({ context, page } = await openPage()));
after(async () => context?.close());

/** Leaves through the main navigation, as a learner would. */
async function leave() {
  await page.click('nav a[href="/lessons"]');
  await page.waitForSelector('.lesson-item');
}

/** After the late results had time to arrive, the app still sends and shows a request. */
async function stillWorks(lateMs) {
  await page.waitForTimeout(lateMs);
  await page.click('nav a[href="/"]');
  await page.waitForSelector('[data-testid=send]');
  await page.fill('[data-testid=url]', '/lab/get?after-leaving=1');
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result] [data-testid=status]');
  assert.equal(await page.textContent('[data-testid=status]'), '200');
}

const STARTERS = [
  { name: 'workbench Send (slow server)', path: '/?url=%2Flab%2Fdelay%2F1', start: '[data-testid=send]', late: 1200 },
  { name: 'workbench Send twice', path: '/?url=%2Flab%2Fdelay%2F0.5', start: '[data-testid=send-twice]', late: 1300 },
  { name: 'status codes: Try it', path: '/status-codes', start: '[data-testid=try-503]', late: 300 },
  { name: 'status codes: the quiz', path: '/status-codes', before: '[data-testid=quiz] .choice', start: '[data-testid=quiz-fire]', late: 300 },
  { name: 'cookies: the stepper', path: '/cookies', start: '[data-testid=run-steps]', late: 600 },
  { name: 'page loads: the median page', path: '/pages', start: '[data-testid=load-median]', late: 2500 },
  { name: 'page loads: the heavy page', path: '/pages', start: '[data-testid=load-heavy]', late: 2500 },
  { name: 'page loads: HTTP/1.1 against HTTP/2', path: '/pages', start: '[data-testid=protocol-run]', late: 2500 },
  { name: 'lesson: HTTPS to the lab', path: '/lesson/https', start: '[data-testid=try-2]', late: 800 },
  { name: 'lesson: what breaks, timeout', path: '/lesson/what-breaks', start: 'button:has-text("Timeout")', late: 3500 },
];

for (const s of STARTERS) {
  test(`leaving at once: ${s.name}`, async () => {
    await page.goto(BASE + s.path);
    if (s.before) await page.locator(s.before).first().click();
    await page.locator(s.start).first().click();
    await leave();
    await stillWorks(s.late);
  });
}

test('leaving at once: every lesson\'s experiment', async () => {
  await page.goto(`${BASE}/lessons`);
  await page.waitForSelector('.lesson-item');
  const slugs = await page.$$eval('.lesson-item a[href^="/lesson/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href').split('/').pop()))]);
  assert.equal(slugs.length, 14, slugs.join(' '));
  for (const slug of slugs) {
    await page.goto(`${BASE}/lesson/${slug}`);
    await page.waitForSelector(`[data-testid=lesson][data-slug=${slug}]`);
    // Whatever the lesson's experiment is: its first ready-made request, the
    // page explorer, the sorting check or the cookie stepper.
    const start = page.locator('[data-testid=try-0], [data-testid=load-median], [data-testid=sort-check], [data-testid=run-steps]').first();
    if (await start.count()) await start.click();
    await leave();
  }
  await stillWorks(2500);
});

test('leaving at once: a link\'s recorded run, run live', async () => {
  await page.goto(`${BASE}/lesson/the-cycle`);
  await page.click('[data-testid=try-0]');
  await page.waitForSelector('[data-testid=result], [data-testid=failure]');
  await page.check('[data-testid=include-run]');
  const link = await page.inputValue('[data-testid=share-link]');
  await page.goto('about:blank');
  await page.goto(link);
  await page.click('[data-testid=run-live]');
  await leave();
  await stillWorks(800);
});

// The app's own files failing to arrive (a dropped connection on a school
// network, a proxy that blocks .wasm) must not leave a blank page.
test('the app cannot load its WebAssembly: a message and a Reload, not a blank page', async () => {
  await page.route('**/*.wasm', (route) => route.abort('failed'));
  await page.goto(`${BASE}/lessons`);
  const box = page.locator('[data-testid=boot-failure]');
  await box.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await box.textContent(), /could not (be loaded|start).*check the connection, then reload/);
  // The watch for a wasm that arrived but never ran must not replace that
  // reason later (a failed request leaves a timing record too).
  await page.waitForTimeout(5600);
  assert.match(await box.textContent(), /check the connection, then reload/);
  // The lab painted the page into index.html's shell: it stays readable,
  // its links work as plain links, and the app (its theme switch) is absent.
  assert.equal(await page.locator('#shell .lesson-item').count(), 14, 'the painted list of lessons stays');
  assert.equal(await page.locator('[data-testid=theme-toggle]').count(), 0, 'the app did not start');
  await expectErrors(/net::ERR_FAILED|Failed to fetch|NetworkError|WebAssembly/);
  // The connection is back: Reload opens the app, and the message is gone.
  await page.unroute('**/*.wasm');
  await box.locator('button', { hasText: 'Reload' }).click();
  await page.waitForSelector('[data-testid=lesson-item-big-picture]');
  assert.equal(await page.locator('#shell').count(), 0, 'the app took the shell\'s place');
  assert.equal(await page.locator('[data-testid=boot-failure]').count(), 0);
});

test('leaving a lesson just after a try: the address is the page left for, and Back returns to the try', async () => {
  // The lesson keeps its experiment in the address; it once did so behind
  // the router's back, and the router then took a later link for the page
  // already shown: the address stayed the lesson's and Back left the app.
  await page.goto(`${BASE}/lesson/what-breaks`);
  await page.waitForSelector('[data-testid=try-2]');
  for (const [i, host] of [[1, /127\.0\.0\.1%3A2/], [2, /%2Flab%2Fstatus%2F500/]]) {
    await page.click(`[data-testid=try-${i}]`);
    await page.waitForURL(host);
    await page.click('nav a[href="/timeline"]');
    await page.waitForSelector('[data-testid=timeline-total]');
    assert.equal(new URL(page.url()).pathname, '/timeline', `after try ${i}`);
    await page.goBack();
    await page.waitForSelector('[data-testid=lesson]');
    assert.match(page.url(), host, `Back after try ${i} returns to the lesson with its experiment`);
  }
});

test('Next, Prev and Back between lessons already loaded: each Back returns to the lesson before', async () => {
  // A lesson already loaded renders at once on Next: its address effect
  // ran before the router had written the new address, and replaced the
  // lesson being left in the history (Back then stayed put, then left).
  await page.goto(`${BASE}/lesson/the-cycle`);
  await page.waitForSelector('[data-testid=lesson][data-slug=the-cycle]');
  await page.click('[data-testid=next]');
  const second = await page.waitForSelector('[data-testid=lesson]:not([data-slug=the-cycle])');
  const next = await second.getAttribute('data-slug');
  await page.click('[data-testid=prev]');
  await page.waitForSelector('[data-testid=lesson][data-slug=the-cycle]');
  await page.click('[data-testid=next]');
  await page.waitForSelector(`[data-testid=lesson][data-slug=${next}]`);
  assert.equal(new URL(page.url()).pathname, `/lesson/${next}`);
  await page.goBack();
  await page.waitForSelector('[data-testid=lesson][data-slug=the-cycle]');
  assert.equal(new URL(page.url()).pathname, '/lesson/the-cycle');
  await page.goBack();
  await page.waitForSelector(`[data-testid=lesson][data-slug=${next}]`);
  assert.equal(new URL(page.url()).pathname, `/lesson/${next}`, 'Back again: the lesson before that');
});

test('a link on the painted page clicked while the app is still built behind it: the browser goes there, address and page alike', async () => {
  const { context: own, page: p } = await openPage();
  try {
    // Clicked at the first moment the hidden app exists behind the shell.
    await p.addInitScript(() => {
      if (!location.pathname.startsWith('/lesson/')) return;
      new MutationObserver((_, o) => {
        if (document.querySelector('.app[hidden]') && document.querySelector('#shell')) {
          o.disconnect();
          sessionStorage.setItem('clicked-while-hidden', 'yes');
          document.querySelector('#shell nav a[href="/lessons"]').click();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await p.goto(`${BASE}/lesson/the-cycle`);
    await p.waitForURL(`${BASE}/lessons`);
    await p.waitForSelector('.app .lesson-item');
    assert.equal(await p.evaluate(() => sessionStorage.getItem('clicked-while-hidden')), 'yes', 'the click came while the app was hidden');
    assert.match(await p.textContent('.app h1'), /^Lessons/);
    assert.equal(await p.locator('#shell').count(), 0);
  } finally {
    await own.close();
  }
});
