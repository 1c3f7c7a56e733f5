// After a try, Send or "Try it", the result comes into view on a laptop
// (1280 px) and on a phone (390 px), keyboard focus stays on what the
// learner pressed, and the journey plays once it is on screen.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, BASE } from './browser.mjs';

const sizes = [
  { name: 'laptop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

const contexts = [];
after(async () => Promise.all(contexts.map((c) => c.close())));

async function open(size) {
  const { context, page } = await openPage({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });
  contexts.push(context);
  return page;
}

/** Waits until the top of `selector`'s element is inside the window. */
async function inView(page, selector) {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    if (!el) return false;
    const top = el.getBoundingClientRect().top;
    return top > -1 && top < window.innerHeight;
  }, selector);
}

for (const size of sizes) {
  test(`${size.name}: a lesson's try brings its result and the journey into view, and the journey plays there`, async () => {
    const page = await open(size);
    await page.goto(`${BASE}/lesson/big-picture`);
    await page.waitForSelector('[data-testid=lesson][data-slug=big-picture]');
    await page.waitForSelector('[data-testid=try-0]');
    const before = await page.evaluate(() => document.querySelector('[data-testid=outcome]').getBoundingClientRect().top);
    assert.ok(before > (await page.evaluate(() => window.innerHeight)) / 2, `the result area starts below the fold's upper half (${before} px)`);
    await page.focus('[data-testid=try-0]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=result]');
    await inView(page, '[data-testid=result]');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'try-0', 'focus stays on the button pressed');
    // The journey starts once it is on screen: its button reads Pause while it plays.
    await page.waitForSelector('[data-testid=journey]');
    await page.evaluate(() => document.querySelector('[data-testid=journey]').scrollIntoView({ block: 'start' }));
    await page.waitForFunction(() => document.querySelector('[data-testid=journey-play]')?.textContent === 'Pause');
  });

  test(`${size.name}: the workbench's Send brings its result into view`, async () => {
    const page = await open(size);
    await page.goto(`${BASE}/`);
    await page.waitForSelector('[data-testid=send]:not([disabled])');
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=result]');
    await inView(page, '[data-testid=result]');
  });

  test(`${size.name}: "Try it" in the table of codes brings its result into view, above the table`, async () => {
    const page = await open(size);
    await page.goto(`${BASE}/status-codes`);
    await page.waitForSelector('[data-testid=try-503]');
    await page.evaluate(() => document.querySelector('[data-testid=try-503]').scrollIntoView({ block: 'center' }));
    await page.click('[data-testid=try-503]');
    await page.waitForSelector('[data-testid=tried] [data-testid=result]');
    await inView(page, '[data-testid=tried]');
    assert.match(await page.textContent('[data-testid=tried] [data-testid=status]'), /503/);
  });
}

test('a journey that has ended can be replayed from its start', async () => {
  const page = await open(sizes[0]);
  await page.goto(`${BASE}/lesson/big-picture`);
  await page.waitForSelector('[data-testid=try-0]');
  await page.click('[data-testid=try-0]');
  await page.waitForSelector('[data-testid=journey]');
  await page.evaluate(() => document.querySelector('[data-testid=journey]').scrollIntoView({ block: 'start' }));
  await page.selectOption('[data-testid=journey-speed]', { index: 0 });
  await page.waitForFunction(() => document.querySelector('[data-testid=journey-play]')?.textContent === 'Replay');
  const last = await page.getAttribute('[data-testid=journey-steps] > li:last-child', 'aria-current');
  assert.equal(last, 'step', 'it ended on its last step');
  await page.click('[data-testid=journey-play]');
  assert.equal(await page.textContent('[data-testid=journey-play]'), 'Pause');
  assert.equal(await page.getAttribute('[data-testid=journey-step-0]', 'aria-current'), 'step', 'Replay starts again at the first step');
});
