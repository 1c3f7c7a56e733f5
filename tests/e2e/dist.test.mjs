// Issue 20: one self-contained binary. `cargo xtask dist` compiles the app's
// files into the lab; here that binary is copied alone into an empty folder
// (no dist/, no Rust, no Node on its path) and run from there, on the
// network (0.0.0.0) as a teacher would, with a name for the class.
// Usage: ROUNDTRIP_DIST_BIN=target/…/roundtrip-lab node --test tests/e2e/dist.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from './spawn-lab.mjs';

const source = process.env.ROUNDTRIP_DIST_BIN;
assert.ok(source && existsSync(source), 'ROUNDTRIP_DIST_BIN names the binary `cargo xtask dist` built');
const home = mkdtempSync(join(tmpdir(), 'roundtrip-dist-'));
const bin = join(home, 'roundtrip-lab');
copyFileSync(source, bin);

// Started with only the basics in its environment: the folder is its home.
const { lab, out: lines, url } = await startLab(
  bin,
  ['--host', '0.0.0.0', '--port', '0', '--allow-host', 'roundtrip.test', '--tls-dir', join(home, 'tls')],
  {
    cwd: home,
    env: { HOME: home, PATH: '/usr/bin:/bin' },
    // The class line comes after the one naming the port.
    ready: (line, out) => /for your class/.test(line) && `http://127.0.0.1:${out.join('\n').match(/listening on http:\/\/0\.0\.0\.0:(\d+)\//)?.[1]}`,
  },
);
process.env.ROUNDTRIP_URL = url;
const { openPage, CHROMIUM_ARGS } = await import('./browser.mjs');

let context;
let page;
before(async () => ({ context, page } = await openPage()));
after(async () => {
  await context?.close();
  lab.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

test('the binary alone serves the app from inside itself: no dist/ beside it', async () => {
  // It unpacked its own copy into its user's cache folder, and serves that.
  const served = lines.map((l) => l.match(/app: built into this binary \(served from (.+)\)$/)?.[1]).find(Boolean);
  assert.ok(served?.startsWith(join(home, '.cache', 'roundtrip-lab', 'app-')), lines.join('\n'));
  const index = await (await fetch(`${url}/index.html`)).text();
  assert.equal(index, readFileSync(join(served, 'index.html'), 'utf8'));
  // `/` is that file with the workbench's heading painted in.
  assert.match(await (await fetch(`${url}/`)).text(), /<main id="shell-main"><h1 class="page-title">Send a real request<\/h1>/);
  const wasm = index.match(/roundtrip-[0-9a-f]{16}_bg\.wasm/)?.[0];
  assert.ok(wasm, 'index.html names the wasm');
  const res = await fetch(`${url}/${wasm}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(res.status, 200, `${wasm} is served`);
  assert.equal(res.headers.get('content-encoding'), 'br');
  // The brotli copy built in, as it is (not compressed again on the fly).
  assert.equal(Number(res.headers.get('content-length')), statSync(join(served, `${wasm}.br`)).size);
  assert.match(res.headers.get('cache-control'), /immutable/);
});

test('the app and a lesson load in Chromium from the binary, and its lab answers', async () => {
  await page.goto(`${url}/`);
  await page.waitForSelector('[data-testid=send]');
  await page.fill('[data-testid=url]', '/lab/get?from=dist');
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result] [data-testid=status]');
  assert.equal(await page.textContent('[data-testid=status]'), '200');
  await page.goto(`${url}/lesson/the-cycle`);
  await page.waitForSelector('[data-testid=lesson][data-slug=the-cycle]');
  assert.match(await page.textContent('h1'), /The request\/response cycle, step by step/);
});

test('classroom mode: the lab prints the class URLs, and the lesson index shows each lesson\'s link for them', async () => {
  const port = new URL(url).port;
  assert.ok(lines.includes(`roundtrip-lab for your class: http://roundtrip.test:${port}/lessons`), lines.join('\n'));
  const { urls } = await (await fetch(`${url}/lab/class`)).json();
  assert.equal(urls[0], `http://roundtrip.test:${port}`, 'the name first');
  await page.goto(`${url}/lessons`);
  await page.waitForSelector('[data-testid=class-box]');
  assert.equal(await page.textContent('[data-testid=class-origin]'), `http://roundtrip.test:${port}/lessons`);
  const hrefs = await page.$$eval('.lesson-item > a', (a) => a.map((e) => e.getAttribute('href')));
  const links = await page.$$eval('[data-testid=class-link]', (l) => l.map((e) => e.textContent));
  assert.equal(links.length, 14);
  assert.deepEqual(links, hrefs.map((h) => `http://roundtrip.test:${port}${h}`), 'each lesson\'s own link, on the class name');
  // Another of the machine's addresses, picked: every link follows.
  if (urls.length > 1) {
    await page.selectOption('[data-testid=class-origins]', urls[1]);
    const again = await page.$$eval('[data-testid=class-link]', (l) => l.map((e) => e.textContent));
    assert.deepEqual(again, hrefs.map((h) => `${urls[1]}${h}`));
  }
  const cycle = links.find((l) => l.endsWith('/lesson/the-cycle'));
  // A student's browser opens that link (the class name mapped to this
  // machine, as the school's DNS would): the lesson, with its experiment.
  const student = await openPage({ args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP roundtrip.test 127.0.0.1'] });
  try {
    await student.page.goto(cycle);
    await student.page.waitForSelector('h1');
    assert.match(await student.page.textContent('h1'), /The request\/response cycle, step by step/);
  } finally {
    await student.context.close();
  }
});
