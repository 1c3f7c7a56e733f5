// A phone on a slow link: the first load of a route with the network and the
// CPU throttled as Lighthouse's mobile run does (150 ms round trip,
// 1.6 Mbps down, 750 kbps up, CPU 4× slower), HTTP cache off, on a phone's
// screen (412 × 823). Reports, as medians of N loads: when the page's words
// were on screen (the largest contentful paint, as Chrome reports it), and
// when the app was interactive (its "roundtrip:interactive" mark); and the
// bytes that crossed the network for that load (and how many of them were
// wasm, in how many files: the first one and the route's split files).
// Usage: node bench-phone.mjs BASE_URL N PATH...
import { openPage } from '../../tests/e2e/browser.mjs';

const [base, n = '5', ...paths] = process.argv.slice(2);
const { context, page } = await openPage();
await page.setViewportSize({ width: 412, height: 823 });
await page.addInitScript(() => {
  window.__lcp = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
});
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
  const painted = [];
  let bytes = 0;
  let wasmBytes = 0;
  let wasmFiles = 0;
  for (let i = 0; i < Number(n); i++) {
    await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => performance.getEntriesByName('roundtrip:interactive').length > 0, null, { timeout: 60000 });
    const { ms, lcp, wire, wasm, files } = await page.evaluate(() => ({
      ms: performance.getEntriesByName('roundtrip:interactive')[0].startTime,
      lcp: window.__lcp,
      wire: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((s, e) => s + e.transferSize, 0),
      wasm: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).reduce((s, e) => s + e.transferSize, 0),
      files: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length,
    }));
    wasmBytes = wasm;
    wasmFiles = files;
    samples.push(ms);
    painted.push(lcp);
    bytes = wire;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `  ${path}: words on screen (LCP) ${fmt(median(painted))}; interactive ${fmt(median(samples))} (${samples.map(fmt).join(', ')}); ${(bytes / 1024).toFixed(0)} KiB on the wire, of which wasm ${(wasmBytes / 1024).toFixed(0)} KiB in ${wasmFiles} files`,
  );
}
await context.close();
