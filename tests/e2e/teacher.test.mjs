// Issue 20: lessons are files, and a teacher adds their own without building
// anything. A lab is started with a temporary --lessons folder holding the
// README's example lesson (read from the README, as a teacher would copy it),
// a broken one and one that tries to smuggle HTML in. The example appears in
// the index and its try runs; the two others are named with their line, and
// every other lesson still loads.
// Usage: ROUNDTRIP_LAB_BIN=target/debug/roundtrip-lab ROUNDTRIP_DIST=dist node --test tests/e2e/teacher.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLab } from './spawn-lab.mjs';

const bin = resolve(process.env.ROUNDTRIP_LAB_BIN ?? 'target/debug/roundtrip-lab');
const dist = resolve(process.env.ROUNDTRIP_DIST ?? 'dist');
assert.ok(existsSync(bin), `${bin}: the lab binary (cargo build -p roundtrip-lab)`);

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = readme.match(/<!-- lesson-example -->\n```markdown\n([\s\S]*?)```\n<!-- \/lesson-example -->/)?.[1];
assert.ok(example, 'the README shows a lesson between <!-- lesson-example --> markers');

const home = mkdtempSync(join(tmpdir(), 'roundtrip-teacher-'));
const folder = join(home, 'my-lessons');
mkdirSync(folder);
writeFileSync(join(folder, '15-where-it-goes.md'), example);
writeFileSync(join(folder, '16-broken.md'), example.replace('kind = "request"', 'kind = "lecture"'));
writeFileSync(join(folder, '17-sneaky.md'), example.replace('Before a request leaves', '<img src=x onerror="alert(1)">\n\nBefore a request leaves'));
writeFileSync(join(folder, 'notes.txt'), 'not a lesson: ignored');

const { lab, out, err, url } = await startLab(bin, ['--host', '127.0.0.1', '--port', '0', '--https-port', 'off', '--dist', dist, '--lessons', folder], {
  ready: (line, out) => /^roundtrip-lab lessons:/.test(line) && out.join('\n').match(/listening on (http:\/\/[^/]+)\//)?.[1],
});
process.env.ROUNDTRIP_URL = url;
const { openPage } = await import('./browser.mjs');

let context;
let page;
before(async () => ({ context, page } = await openPage()));
after(async () => {
  await context?.close();
  lab.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

test('the lab says what it read, and names each file it left out with its line', async () => {
  assert.ok(out.includes(`roundtrip-lab lessons: 15 in all, 1 from ${folder}`), out.join('\n'));
  // stderr is read as it comes: wait for both lines.
  for (let i = 0; i < 50 && err.filter((l) => l.includes('left out')).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(err.includes('roundtrip-lab: lesson file left out: 16-broken.md, line 4: kind “lecture” is not one of “request”, “page-load”, “sort”, “https”, “cookies”'), err.join('\n'));
  assert.ok(err.some((l) => l.startsWith('roundtrip-lab: lesson file left out: 17-sneaky.md, line 17: raw HTML is not allowed')), err.join('\n'));
});

test('the index lists the teacher\'s lesson after the fourteen, and the files left out', async () => {
  await page.goto(`${url}/lessons`);
  await page.waitForSelector('.lesson-item');
  assert.equal(await page.locator('.lesson-item').count(), 15);
  assert.match(await page.textContent('.lesson-item:last-child a'), /^15\. Where a request goes$/);
  assert.match(await page.textContent('[data-testid=progress]'), /^0 of 15/);
  const problems = await page.locator('[data-testid=lesson-problems] li').allTextContents();
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^16-broken\.md, line 4: kind “lecture” is not one of/);
  assert.match(problems[1], /^17-sneaky\.md, line 17: raw HTML is not allowed/);
  // The HTML was refused, not run or drawn.
  assert.equal(await page.locator('img[src=x]').count(), 0);
});

test('the teacher\'s lesson opens by its link, renders its Markdown as text, and its try runs', async () => {
  // The link preview a chat app sees names it too.
  const html = await (await fetch(`${url}/lesson/where-it-goes`)).text();
  assert.match(html, /<title>15\. Where a request goes · Roundtrip<\/title>/);
  await page.goto(`${url}/lessons`);
  await page.click('[data-testid=lesson-item-where-it-goes] a');
  await page.waitForSelector('[data-testid=lesson][data-slug=where-it-goes]');
  assert.equal(await page.textContent('h1'), '15. Where a request goes');
  assert.match(await page.textContent('.crumbs'), /Lesson 15 of 15/);
  assert.equal(await page.textContent('.lesson-text strong'), 'name');
  assert.equal(await page.textContent('.lesson-text em'), 'IP address');
  assert.equal(await page.textContent('.lesson-text p code'), 'Host');
  assert.equal(await page.locator('.lesson-text ol.lesson-steps li').count(), 3);
  assert.equal(await page.getAttribute('.lesson-text a', 'href'), '/lesson/urls');
  assert.equal(await page.textContent('[data-testid=prev]'), '← Authentication basics');
  assert.equal(await page.locator('[data-testid=next]').count(), 0, 'the last lesson');
  await page.click('[data-testid=try-0]');
  await page.waitForSelector('[data-testid=result] [data-testid=status]');
  assert.equal(await page.textContent('[data-testid=status]'), '200');
  assert.match(await page.textContent('[data-testid=expect]'), /among the headers the browser wrote, Host/);
  const raw = await page.textContent('[data-testid=echo-raw]');
  assert.match(raw, /^GET \/lab\/anything\/where\?from=my-lesson HTTP\/1\.1$/m);
  assert.match(raw, /^host: 127\.0\.0\.1:\d+$/m);
  // Its own link in the lesson text goes to a built-in lesson, in the app.
  await page.click('.lesson-text a[href="/lesson/urls"]');
  await page.waitForSelector('[data-testid=lesson][data-slug=urls]');
});

test('the JSON the app reads: a file left out is no lesson (404), the index has the fifteen', async () => {
  const res = await fetch(`${url}/lessons/16-broken.json`);
  assert.equal(res.status, 404);
  assert.match((await res.json()).error, /No lesson at \/lessons\/16-broken\.json/);
  const index = await (await fetch(`${url}/lessons/index.json`)).json();
  assert.equal(index.lessons.length, 15);
  assert.equal(index.lessons[14].slug, 'where-it-goes');
});
