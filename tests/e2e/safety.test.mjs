// Safe to open and usable by everyone: the CSP holds on every route while it
// runs its main interaction, axe-core finds nothing serious, and nothing
// overflows a 375 px phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openPage, BASE } from './browser.mjs';
import { ROUTES } from './routes.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let context;
let page;
before(async () => {
  ({ context, page } = await openPage());
  // Collected from the first script on, in every document of the tab.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});
after(async () => context?.close());

async function open(route) {
  const response = await page.goto(BASE + route.path);
  await page.waitForSelector(route.ready);
  return response;
}

for (const route of ROUTES) {
  test(`${route.path}: a CSP header, and no violation while it runs`, async () => {
    const csp = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
    const response = await open(route);
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    await route.run(page);
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(csp, []);
  });

  test(`${route.path}: axe-core finds no serious or critical violation`, async () => {
    await open(route);
    await route.run(page);
    // Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    assert.deepEqual(result, []);
  });

  test(`${route.path}: at 375 px nothing scrolls sideways`, async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await open(route);
      await route.run(page);
      const [scroll, client, wide] = await page.evaluate(() => {
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.table-scroll, .waterfall-scroll, pre, .scroll-x'))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
        return [d.scrollWidth, d.clientWidth, wide];
      });
      assert.ok(scroll <= client, `scrollWidth ${scroll} > clientWidth ${client}: ${wide.join(', ')}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
}
