// Records real HAR files of the lab's fixture pages in Chromium (Playwright's
// recordHar, built from the DevTools protocol's network events), for the
// model's HAR import tests. Usage: node make-har.mjs BASE_URL OUT_DIR
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../../tests/e2e/browser.mjs';

const [base, out] = process.argv.slice(2);
for (const name of ['tiny', 'median']) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'roundtrip-har-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    recordHar: { path: join(out, `chromium-${name}.har`), content: 'omit' },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/lab/page/${name}`, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  await context.close();
  console.log(`wrote ${join(out, `chromium-${name}.har`)}`);
}
