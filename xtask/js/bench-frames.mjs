// Frame times with 1,000 rows on the timeline while the waterfall scrolls and
// the journey animates, over a scripted 5-second run.
// Usage: node bench-frames.mjs BASE_URL
import { openPage } from '../../tests/e2e/browser.mjs';

const [base] = process.argv.slice(2);
const { context, page } = await openPage();
await page.goto(`${base}/timeline`);
await page.waitForSelector('[data-testid=waterfall]');
// 1,000 real requests from the page, in batches so as not to flood the lab.
await page.evaluate(async () => {
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`/lab/get?row=${batch * 50 + i}`).then((r) => r.text())));
  }
  // One slow request: its journey lasts the whole run at slow x100.
  await fetch('/lab/delay/0.06').then((r) => r.text());
});
await page.waitForFunction(() => Number(document.querySelector('[data-testid=timeline-total]')?.textContent) >= 1000, null, { timeout: 30000 });
const rows = await page.locator('[data-testid=wf-row]').count();
await page.locator('[data-testid=wf-row][data-url$="/lab/delay/0.06"] button').click();
await page.waitForSelector('[data-testid=journey]');
// The journey plays by itself; make sure it is playing, at slow x100 so it
// keeps moving for the whole run.
await page.selectOption('[data-testid=journey] select', '100');
await page.fill('[data-testid=journey] input[type=range]', '0');
if ((await page.textContent('[data-testid=journey-play]')) === 'Play') await page.click('[data-testid=journey-play]');

const result = await page.evaluate(async () => {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  try { observer.observe({ type: 'longtask' }); } catch {}
  const box = document.querySelector('[data-testid=waterfall]');
  const frames = [];
  let last = performance.now();
  const end = last + 5000;
  await new Promise((done) => {
    function frame(now) {
      frames.push(now - last);
      last = now;
      // Scroll down and back up, continuously.
      const phase = (now % 2000) / 2000;
      box.scrollTop = (phase < 0.5 ? phase * 2 : 2 - phase * 2) * (box.scrollHeight - box.clientHeight);
      if (now < end) requestAnimationFrame(frame); else done();
    }
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  const playing = document.querySelector('[data-testid=journey-play]').textContent === 'Pause';
  return { frames: frames.slice(1), longTasks, playing };
});
await context.close();

const sorted = [...result.frames].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const dropped = result.frames.filter((f) => f > 1000 / 60 * 1.5).length;
console.log(`  rows on the timeline: ${rows}; journey animating throughout: ${result.playing ? 'yes' : 'NO'}; frames in 5 s: ${result.frames.length}`);
console.log(`  frame time p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms; frames over 25 ms: ${dropped}`);
console.log(`  long tasks (> 50 ms): ${result.longTasks.length}${result.longTasks.length ? ` (longest ${Math.max(...result.longTasks).toFixed(0)} ms)` : ''}`);
console.log('  (target: p95 frame time under 16.7 ms, no long task over 50 ms)');
