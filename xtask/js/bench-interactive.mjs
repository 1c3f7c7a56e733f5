// Loads the app N times and reports the time from navigation start to the
// app's "roundtrip:interactive" mark (set once the first render is done).
// Usage: node bench-interactive.mjs BASE_URL N
import { openPage } from '../../tests/e2e/browser.mjs';

const [base, n = '9'] = process.argv.slice(2);
const { context, page } = await openPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

const samples = [];
for (let i = 0; i < Number(n); i++) {
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=send]');
  const ms = await page.evaluate(() => {
    const mark = performance.getEntriesByName('roundtrip:interactive')[0];
    return mark ? mark.startTime : NaN;
  });
  samples.push(ms);
}
await context.close();
const sorted = [...samples].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const fmt = (x) => `${x.toFixed(1)} ms`;
console.log(`  samples: ${samples.map(fmt).join(', ')}`);
console.log(`  median navigation → interactive: ${fmt(median)} (min ${fmt(sorted[0])}, max ${fmt(sorted.at(-1))})`);
