// Imports a 5,000-entry HAR and measures the time to the first painted
// waterfall row, and the longest frame while it loads.
// Usage: node bench-har.mjs BASE_URL SOURCE_HAR
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage } from '../../tests/e2e/browser.mjs';

const [base, source] = process.argv.slice(2);
const har = JSON.parse(readFileSync(source, 'utf8'));
const seed = har.log.entries;
const entries = Array.from({ length: 5000 }, (_, i) => {
  const e = structuredClone(seed[i % seed.length]);
  e.request.url = `${e.request.url}?copy=${i}`;
  e.startedDateTime = new Date(Date.parse(seed[0].startedDateTime) + i * 3).toISOString();
  return e;
});
const file = join(mkdtempSync(join(tmpdir(), 'roundtrip-har-')), 'big.har');
writeFileSync(file, JSON.stringify({ log: { ...har.log, entries } }));
const bytes = readFileSync(file).length;

const { context, page } = await openPage();
await page.goto(`${base}/pages`);
await page.waitForSelector('[data-testid=har-file]');
await page.evaluate(() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => { window.__frames.push([now, now - last]); last = now; if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__longTasks = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__longTasks.push([e.startTime, e.duration]))).observe({ type: 'longtask' });
  document.querySelector('[data-testid=har-file]').addEventListener('change', () => { window.__picked = performance.now(); });
});
await page.setInputFiles('[data-testid=har-file]', file);
await page.waitForFunction(() => document.querySelector('.load-report ~ .waterfall [data-testid=wf-row], [data-testid=har-progress] ~ * [data-testid=wf-row]') || document.querySelectorAll('[data-testid=wf-row]').length > 0);
const firstRow = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(performance.now() - window.__picked))));
await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=load-total]')].some((e) => e.textContent === '5000'), null, { timeout: 60000 });
const all = await page.evaluate(() => performance.now() - window.__picked);
// Frames that ended after the file was picked: the ones the import drew
// (the test driver's own work before the pick is not the app's).
const { frames, longTasks } = await page.evaluate(() => {
  window.__stop = true;
  return {
    frames: window.__frames.filter(([t]) => t > window.__picked).map(([, d]) => d),
    longTasks: window.__longTasks.filter(([t]) => t >= window.__picked).map(([, d]) => d),
  };
});
// The last row: paged to with "Later rows", as a reader would, until the
// 5,000th entry's row is on screen.
const lastUrl = `${entries[entries.length - 1].request.url}`;
const pagingStarted = Date.now();
const later = page.locator('[data-testid=pager] button', { hasText: 'Later rows' });
let clicks = 0;
while (!(await later.isDisabled()) && clicks < 100) {
  await later.click();
  clicks += 1;
}
await page.locator(`[data-testid=wf-row][data-url="${lastUrl}"]`).waitFor({ timeout: 30000 });
const lastRow = Date.now() - pagingStarted;
await context.close();
const max = Math.max(...frames);
console.log(`  HAR file: ${entries.length} entries, ${(bytes / 1e6).toFixed(1)} MB`);
console.log(`  pick → first waterfall row painted: ${firstRow.toFixed(0)} ms; all 5,000 counted and drawn: ${all.toFixed(0)} ms`);
console.log(`  last row (the 5,000th) drawn after ${clicks} clicks on "Later rows": ${lastRow} ms in all (${(lastRow / Math.max(clicks, 1)).toFixed(0)} ms a page of 250)`);
console.log(`  longest frame while loading: ${max.toFixed(0)} ms; long tasks (> 50 ms): ${longTasks.length}${longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''}`);
console.log('  (target: under 1 s to first paint of the waterfall, no frame over 50 ms while it loads)');
