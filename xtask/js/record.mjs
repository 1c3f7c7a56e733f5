// Records one page load in headless Chromium as a HAR, with Chromium's own
// timings (DNS, connect, TLS where the site has them), via Playwright's HAR
// recorder over the DevTools protocol.
// Usage: node record.mjs URL OUT.har [HOST_RESOLVER_RULES]
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../tests/e2e/browser.mjs';

const [url, out, rules] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node record.mjs URL OUT.har [HOST_RESOLVER_RULES]');
  process.exit(2);
}
const args = [...CHROMIUM_ARGS];
// e.g. "MAP shop.test 127.0.0.1": a made-up name on this machine.
if (rules) args.push(`--host-resolver-rules=${rules}`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args });
const context = await browser.newContext({ recordHar: { path: out, content: 'omit', mode: 'full' } });
const page = await context.newPage();
const response = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
// Requests a page makes after its load event (fetches, lazy images) still
// belong to it: wait until the network has been quiet for a moment.
await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
await context.close();
await browser.close();
console.log(`recorded ${url} (status ${response?.status() ?? 'none'}) into ${out}`);
