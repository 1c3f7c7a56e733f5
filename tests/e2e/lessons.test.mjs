// The lessons: each opened by its own link, its experiment run for real
// against the lab, its result checked; share links restored; bad links
// refused with a message; a lesson worked through from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, BASE } from './browser.mjs';

let context;
let page;
const errors = [];

before(async () => {
  ({ context, page } = await openPage());
  page.on('pageerror', (e) => errors.push(String(e)));
});
after(async () => context?.close());

async function lesson(slug, query = '') {
  await page.goto(`${BASE}/lesson/${slug}${query}`);
  await page.waitForSelector(`[data-testid=lesson][data-slug=${slug}]`);
}

/** Clicks a ready-made request and waits for its result or failure. */
async function tryIt(i) {
  const before = await page.locator('[data-testid=result], [data-testid=failure]').count();
  await page.click(`[data-testid=try-${i}]`);
  await page.waitForFunction(() => !document.querySelector('[data-testid=send]')?.disabled);
  assert.ok((await page.locator('[data-testid=result], [data-testid=failure]').count()) >= Math.min(before, 1));
}

const status = () => page.textContent('[data-testid=status]');

/** What each lesson's experiment must show, run from the lesson's own link. */
const experiments = {
  'big-picture': async () => {
    await tryIt(0);
    assert.equal(await status(), '200');
    assert.equal(await page.getAttribute('[data-testid=tab-journey]', 'aria-selected'), 'true');
    assert.ok((await page.locator('[data-testid=journey-steps] li').count()) >= 7);
  },
  requests: async () => {
    await tryIt(0);
    const raw = await page.textContent('[data-testid=echo-raw]');
    assert.match(raw, /^GET \/lab\/anything\/search\?q=python HTTP\/1\.1$/m);
    assert.match(raw, /^x-learner: hello$/m);
    assert.match(raw, /^host: /m);
  },
  'the-server': async () => {
    await tryIt(1);
    const timing = await page.textContent('[data-testid=server-timing]');
    assert.match(timing, /delay[^\d]*1\.\d\d s/, `the server worked about a second: ${timing}`);
  },
  responses: async () => {
    await tryIt(0);
    const raw = await page.textContent('[data-testid=response-raw]');
    assert.match(raw, /^HTTP\/1\.1 200 OK$/m);
    assert.match(raw, /content-type: text\/html/i);
    assert.ok(await page.isVisible('[data-testid=raw-blank]'));
  },
  methods: async () => {
    await tryIt(0);
    assert.equal(await status(), '201');
    assert.match(await page.textContent('[data-testid=body]'), /Learn HTTP methods/);
    await tryIt(1);
    assert.equal(await status(), '200');
    assert.match(await page.textContent('[data-testid=body]'), /"count":1/);
    await tryIt(3);
    assert.match(await page.textContent('[data-testid=body]'), /"done":true/);
    await tryIt(4);
    assert.equal(await status(), '204');
    await tryIt(4);
    assert.equal(await status(), '404');
    await tryIt(5);
    await tryIt(5);
    assert.equal(await status(), '409');
    await tryIt(6);
    assert.equal(await status(), '405');
  },
  'status-codes': async () => {
    for (const [i, code] of [[0, '200'], [1, '301'], [2, '400'], [3, '401'], [4, '403'], [5, '404'], [6, '500']]) {
      await tryIt(i);
      assert.equal(await status(), code, `try ${i}`);
    }
  },
  'opening-a-website': async () => {
    await page.click('[data-testid=load-tiny]');
    await page.waitForSelector('[data-testid=load-status][data-state=done]', { timeout: 20000 });
    assert.equal(Number(await page.textContent('[data-testid=load-total]')), 3);
  },
  'client-and-server': async () => {
    await page.click('[data-testid=sort-check]');
    const unsorted = await page.textContent('[data-testid=sort-verdict-0]');
    assert.match(unsorted, /Not sorted yet/);
    assert.doesNotMatch(unsorted, /Browser \(client\):/, 'checking does not give the answer away');
    const browser = [0, 1, 2, 3, 4];
    for (let i = 0; i < 10; i++) await page.check(`[data-testid=sort-${i}-${browser.includes(i) ? 'browser' : 'server'}]`);
    await page.check('[data-testid=sort-0-server]');
    await page.click('[data-testid=sort-check]');
    assert.equal(await page.textContent('[data-testid=sort-score]'), '9 of 10 right.');
    assert.match(await page.textContent('[data-testid=sort-verdict-0]'), /Not quite/);
  },
  https: async () => {
    const table = await page.textContent('[data-testid=eavesdropper]');
    assert.match(table, /Illustrative/);
    assert.match(table, /GET \/lab\/get/);
    assert.match(table, /encrypted: unreadable/);
    await tryIt(0);
    assert.match(await page.textContent('[data-testid=phase-tls]'), /no TLS on http:\/\//);
    // The sequence diagram: over plain HTTP the TLS band is skipped, with no messages.
    await page.click('[data-testid=tab-journey]');
    assert.match(await page.getAttribute('[data-testid=seq-band-tls]', 'class'), /seq-skipped/);
    assert.doesNotMatch(await page.textContent('[data-testid=seq-band-tls]'), /ClientHello/);
    await page.click('[data-testid=tab-timing]');
    // The lab over HTTPS: the handshake measured on a new connection, the
    // protocol named, h2 here and http/1.1 on the other listener.
    await tryIt(2);
    assert.match(await page.inputValue('[data-testid=url]'), /^https:\/\/127\.0\.0\.1:\d+\/lab\/get\?over=https$/);
    assert.match(await page.textContent('[data-testid=phase-tls]'), /measured/);
    assert.match(await page.textContent('[data-testid=phase-tls]'), /\d ms/);
    await page.click('[data-testid=tab-raw]');
    assert.match(await page.textContent('[data-testid=response-raw]'), /^HTTP\/2 200/);
    // Over HTTPS the diagram draws the handshake's messages inside a measured band.
    await page.click('[data-testid=tab-journey]');
    assert.match(await page.getAttribute('[data-testid=seq-band-tls]', 'class'), /seq-measured/);
    assert.match(await page.textContent('[data-testid=seq-band-tls]'), /ClientHello.*ServerHello, certificate, Finished.*Finished/);
    assert.match(await page.textContent('[data-testid=seq-band-connect]'), /SYN.*SYN-ACK.*ACK/);
    assert.match(await page.textContent('[data-testid=seq-band-request]'), /GET \/lab\/get\?over=https HTTP\/2/);
    await page.click('[data-testid=tab-timing]');
    await tryIt(2);
    assert.doesNotMatch(await page.textContent('[data-testid=phase-tls]'), /\d ms measured/, 'the second time the connection and its keys are reused');
    await tryIt(3);
    assert.match(await page.textContent('[data-testid=phase-tls]'), /measured/, 'another listener, another connection: a new handshake');
    await page.click('[data-testid=tab-raw]');
    assert.match(await page.textContent('[data-testid=response-raw]'), /^HTTP\/1\.1 200/);
  },
  'the-cycle': async () => {
    await tryIt(0);
    assert.equal(await status(), '200');
    const waiting = await page.textContent('[data-testid=journey-steps]');
    assert.match(waiting, /5\d\d(\.\d+)? ms/, 'the server step lasts about 500 ms');
  },
  'what-breaks': async () => {
    await tryIt(0);
    assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'no-server');
    assert.match(await page.textContent('[data-testid=failure]'), /DNS lookup failed\) or nothing listens/);
    await tryIt(1);
    assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'no-server');
    assert.match(await page.textContent('[data-testid=failure]'), /no DNS lookup happened/);
    assert.match(await page.textContent('[data-testid=journey-step-1]'), /already a number/);
    assert.match(await page.textContent('[data-testid=journey-step-2]'), /connection was refused/);
    await tryIt(4);
    assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'bad-port');
    assert.match(await page.textContent('[data-testid=failure]'), /never send a request to port 1\b/);
    assert.match(await page.textContent('[data-testid=journey-step-0]'), /refuses port 1 by itself/);
    await tryIt(2);
    assert.equal(await status(), '500');
    await tryIt(3);
    assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'timeout');
  },
  urls: async () => {
    assert.match(await page.textContent('[data-testid=part-fragment]'), /#results/);
    await tryIt(0);
    const raw = await page.textContent('[data-testid=echo-raw]');
    assert.match(raw, /^GET \/lab\/get\?q=python&page=2 HTTP\/1\.1$/m, 'the fragment never leaves the browser');
  },
  cookies: async () => {
    await page.click('[data-testid=run-steps]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cookie-steps] li').length === 4);
    assert.match((await page.locator('[data-testid=cookie-steps] li').allTextContents())[3], /visits=2/);
  },
  authentication: async () => {
    for (const [i, code] of [[0, '401'], [1, '401'], [2, '200'], [3, '200'], [4, '403'], [5, '200'], [0, '401']]) {
      await tryIt(i);
      assert.equal(await status(), code, `try ${i}`);
    }
  },
};

for (const [slug, run] of Object.entries(experiments)) {
  test(`lesson ${slug}: opened by its link, its experiment runs and shows its result`, async () => {
    await lesson(slug);
    assert.ok((await page.locator('[data-testid=check]').count()) >= 1, 'a check-yourself question');
    await run();
    assert.deepEqual(errors, []);
  });
}

test('the index lists fourteen lessons and remembers which are done', async () => {
  await page.goto(`${BASE}/lessons`);
  await page.click('[data-testid=reset-progress]');
  assert.equal(await page.locator('.lesson-item').count(), 14);
  assert.match(await page.textContent('[data-testid=progress]'), /^0 of 14/);
  await lesson('big-picture');
  await tryIt(0);
  await page.waitForSelector('[data-testid=lesson-done]');
  await page.click('a[href="/lessons"]');
  await page.waitForSelector('[data-testid=progress]');
  assert.match(await page.textContent('[data-testid=progress]'), /^1 of 14/);
  assert.match(await page.textContent('[data-testid=lesson-item-big-picture]'), /done/);
  await page.reload();
  assert.match(await page.textContent('[data-testid=progress]'), /^1 of 14/, 'kept across a reload');
});

test('a lesson sets the title and description a shared link previews', async () => {
  await lesson('status-codes');
  assert.equal(await page.title(), '6. Status codes · Roundtrip');
  assert.match(await page.getAttribute('meta[name=description]', 'content'), /seven codes/);
  await page.click('[data-testid=next]');
  await page.waitForSelector('[data-testid=lesson][data-slug=opening-a-website]');
  assert.equal(await page.title(), '7. What happens when you open a website · Roundtrip');
});

test('a shared link restores method, URL, header, body, timeout, speed and panel', async () => {
  const q = new URLSearchParams({
    method: 'PATCH', url: '/lab/anything/shared?x=1', headers: 'X-Shared: from a teacher', body: '{"a":1}',
    timeout: '4000', speed: '100', panel: 'raw',
  });
  await lesson('requests', `?${q}`);
  assert.equal(await page.inputValue('[data-testid=method]'), 'PATCH');
  assert.equal(await page.inputValue('[data-testid=url]'), '/lab/anything/shared?x=1');
  assert.equal(await page.inputValue('[data-testid=headers]'), 'X-Shared: from a teacher');
  assert.equal(await page.inputValue('[data-testid=body-input]'), '{"a":1}');
  assert.equal(await page.inputValue('[data-testid=timeout]'), '4000');
  assert.equal(await page.locator('[data-testid=link-problems]').count(), 0);
  // The link on screen is the one that was opened.
  const shared = new URL(await page.inputValue('[data-testid=share-link]'));
  assert.equal(shared.searchParams.get('headers'), 'X-Shared: from a teacher');
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result]');
  assert.equal(await page.getAttribute('[data-testid=tab-raw]', 'aria-selected'), 'true');
  assert.match(await page.textContent('[data-testid=echo-raw]'), /^x-shared: from a teacher$/m);
  await page.click('[data-testid=tab-journey]');
  assert.equal(await page.inputValue('[data-testid=journey-speed]'), '100');
  // Changing the panel changes the link.
  assert.equal(new URL(page.url()).searchParams.get('panel'), 'journey');
});

test('Copy link puts the lesson and its experiment on the clipboard', async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await lesson('methods');
  await page.selectOption('[data-testid=method]', 'DELETE');
  await page.fill('[data-testid=url]', '/lab/notes/7');
  await page.click('[data-testid=copy-link]');
  await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]').textContent.length > 0);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await lesson('methods', new URL(copied).search);
  assert.equal(await page.inputValue('[data-testid=method]'), 'DELETE');
  assert.equal(await page.inputValue('[data-testid=url]'), '/lab/notes/7');
});

test('a garbage link shows what was refused and opens the lesson default', async () => {
  const long = 'x'.repeat(3000);
  await lesson('methods', `?method=%3Cscript%3Ealert(1)%3C%2Fscript%3E&url=${long}&timeout=soon&panel=%ZZ`);
  const problems = await page.textContent('[data-testid=link-problems]');
  assert.match(problems, /method/);
  assert.match(problems, /3000 characters/);
  assert.match(problems, /timeout/);
  assert.equal(await page.inputValue('[data-testid=method]'), 'POST', "the lesson's default");
  assert.equal(await page.inputValue('[data-testid=url]'), '/lab/notes');
  // index.html's own two (Trunk's loader, the start watchdog), nothing the link brought.
  assert.equal(await page.locator('script:not([src])').count(), 2);
  assert.equal(await page.locator('script:not([src])', { hasText: 'alert' }).count(), 0);
  assert.deepEqual(errors, []);
  await page.goto(`${BASE}/lesson/no-such-lesson`);
  await page.waitForSelector('[data-testid=unknown-lesson]');
  await page.click('[data-testid=unknown-lesson] a');
  await page.waitForSelector('.lesson-item');
});

test('a lesson works from the keyboard alone, with focus visible', async () => {
  await lesson('big-picture');
  const reached = new Set();
  let outline = '';
  for (let i = 0; i < 200 && !reached.has('next'); i++) {
    await page.keyboard.press('Tab');
    const [id, style] = await page.evaluate(() => {
      const el = document.activeElement;
      return [el?.getAttribute('data-testid') ?? el?.tagName, getComputedStyle(el).outlineStyle];
    });
    reached.add(id);
    if (id === 'try-0') {
      outline = style;
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=result]');
    }
  }
  for (const id of ['try-0', 'send', 'tab-journey', 'journey-play', 'copy-link', 'next']) {
    assert.ok(reached.has(id), `${id} reachable by Tab: ${[...reached]}`);
  }
  assert.notEqual(outline, 'none', 'focus is visible');
  // Arrow keys move between the result's panels.
  await page.focus('[data-testid=tab-journey]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('[data-testid=tab-raw]', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'tab-raw');
  // A check-yourself answer opens with the keyboard.
  await page.focus('[data-testid=check] summary');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('[data-testid=check]', 'open'), '');
});

test('a link can carry a measured run: it replays, and runs live for comparison', async () => {
  await lesson('the-cycle');
  await tryIt(1);
  await page.check('[data-testid=include-run]');
  const link = await page.inputValue('[data-testid=share-link]');
  assert.match(link, /#run=[A-Za-z0-9_-]+$/);
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('[data-testid=recorded-run]');
  assert.equal(await page.textContent('[data-testid=recorded-status]'), '200');
  assert.match(await page.textContent('[data-testid=recorded-run] [data-testid=timing]'), /waiting/i);
  await page.click('[data-testid=run-live]');
  await page.waitForSelector('[data-testid=compare]');
  assert.match(await page.textContent('[data-testid=live-status]'), /Live: 200/);
  assert.match(await page.textContent('[data-testid=compare]'), /Total/);
  // A broken recording is refused with a message; the lesson still opens.
  await lesson('requests', '#run=bm90IGEgcnVu');
  assert.match(await page.textContent('[data-testid=link-problems]'), /recorded run/);
  assert.equal(await page.locator('[data-testid=recorded-run]').count(), 0);
});
