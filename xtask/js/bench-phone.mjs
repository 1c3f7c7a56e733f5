// A phone on a slow link: the first load of a route with the network and the
// CPU throttled as Lighthouse's mobile run does (150 ms round trip,
// 1.6 Mbps down, 750 kbps up, CPU 4× slower), HTTP cache off. Reports the
// time from navigation to the app's "roundtrip:interactive" mark (median of
// N loads) and the bytes that crossed the network for that load.
// Usage: node bench-phone.mjs BASE_URL N PATH...
import { openPage } from '../../tests/e2e/browser.mjs';

const [base, n = '5', ...paths] = process.argv.slice(2);
const { context, page } = await openPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
await cdp.send('Network.emulateNetworkConditions', {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
});
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

const fmt = (x) => `${(x / 1000).toFixed(2)} s`;
for (const path of paths.length ? paths : ['/']) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < Number(n); i++) {
    await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => performance.getEntriesByName('roundtrip:interactive').length > 0, null, { timeout: 60000 });
    const { ms, wire } = await page.evaluate(() => ({
      ms: performance.getEntriesByName('roundtrip:interactive')[0].startTime,
      wire: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((s, e) => s + e.transferSize, 0),
    }));
    samples.push(ms);
    bytes = wire;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`  ${path}: median ${fmt(sorted[Math.floor(sorted.length / 2)])} (${samples.map(fmt).join(', ')}); ${(bytes / 1024).toFixed(0)} KiB on the wire`);
}
await context.close();
