// The real app, built in release mode and served by the real lab, driven in
// real Chromium. `cargo xtask test` sets ROUNDTRIP_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, closedPort, BASE } from './browser.mjs';

let context;
let page;

before(async () => ({ context, page } = await openPage()));
after(async () => context?.close());

/** Opens the workbench, optionally with a query, and waits for the app. */
async function open(query = '') {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('[data-testid=send]');
}

async function send() {
  await page.click('[data-testid=send]');
  await page.waitForSelector('[data-testid=result], [data-testid=failure]');
}

async function openOptions() {
  await page.click('.options summary');
}

test('Send shows the status, the echoed header and measured phases', async () => {
  await open();
  await openOptions();
  await page.fill('[data-testid=headers]', 'X-Roundtrip-E2E: hello-from-e2e');
  await send();
  assert.equal(await page.textContent('[data-testid=status]'), '200');
  assert.equal(await page.textContent('[data-testid=status-text]'), 'OK');
  const echoed = await page.textContent('[data-testid=echo-raw]');
  assert.match(echoed, /^GET \/lab\/anything HTTP\/1\.1$/m);
  assert.match(echoed, /^x-roundtrip-e2e: hello-from-e2e$/m);
  for (const phase of ['waiting', 'download']) {
    const row = await page.textContent(`[data-testid=phase-${phase}]`);
    assert.match(row, /\d+\.\d+ ms/, `${phase}: ${row}`);
    assert.match(row, /measured/, `${phase}: ${row}`);
  }
  const tls = await page.textContent('[data-testid=phase-tls]');
  assert.match(tls, /no TLS on http:\/\//);
  assert.match(await page.textContent('[data-testid=server-timing]'), /handler/);
});

test('a slow server shows a waiting phase of at least its delay', async () => {
  await open('?url=%2Flab%2Fdelay%2F0.3');
  await send();
  const value = await page.textContent('[data-testid=phase-waiting] [data-testid=phase-value]');
  const ms = value.endsWith(' s') ? parseFloat(value) * 1000 : parseFloat(value);
  assert.ok(ms >= 300, `waiting was ${value}`);
});

test('a deep link restores the request and sending it uses it', async () => {
  await open('?method=PUT&url=%2Flab%2Fanything%2Fdeep%3Fq%3D1&body=hello');
  assert.equal(await page.inputValue('[data-testid=method]'), 'PUT');
  assert.equal(await page.inputValue('[data-testid=url]'), '/lab/anything/deep?q=1');
  await send();
  assert.match(await page.textContent('[data-testid=echo-raw]'), /^PUT \/lab\/anything\/deep\?q=1 HTTP\/1\.1$/m);
  assert.match(page.url(), /method=PUT/);
});

test('a deep link to a path the app does not know still loads the app', async () => {
  const response = await page.goto(`${BASE}/some/deep/link?x=y`);
  assert.equal(response.status(), 200);
  await page.waitForSelector('[data-testid=not-found]');
  assert.match(await page.textContent('[data-testid=not-found]'), /\/some\/deep\/link/);
  await page.click('[data-testid=not-found] a[href="/lessons"]');
  await page.waitForSelector('.lesson-item');
});

test('a refused connection is told apart: no server answered, and no DNS for an address', async () => {
  const refused = `http://127.0.0.1:${await closedPort()}/`;
  await open('?url=' + encodeURIComponent(refused));
  await send();
  assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'no-server');
  const text = await page.textContent('[data-testid=failure]');
  assert.match(text, /No server answered/);
  assert.match(text, /no DNS lookup happened/);
  assert.match(text, /Failed to fetch/, 'what JavaScript itself was told');
  assert.equal(await page.inputValue('[data-testid=url]'), refused, 'the request is kept');
});

test('a timeout below the server delay is a timeout', async () => {
  await open('?url=%2Flab%2Fdelay%2F2&timeout=300');
  await send();
  assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'timeout');
  assert.match(await page.textContent('[data-testid=failure]'), /300 ms/);
});

test('a 5xx is a response that reports failure', async () => {
  await open('?url=%2Flab%2Fstatus%2F500');
  await send();
  assert.equal(await page.textContent('[data-testid=status]'), '500');
  assert.match(await page.textContent('[data-testid=result]'), /A response did arrive/);
});

test('a malformed URL is refused before anything is sent', async () => {
  await open('?url=' + encodeURIComponent('http://[::1'));
  await send();
  assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'invalid');
  assert.match(await page.textContent('[data-testid=failure]'), /not valid/);
});

test('a response body with markup is shown as text and runs nothing', async () => {
  const payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
  await open('?method=POST&body=' + encodeURIComponent(payload));
  await send();
  assert.match(await page.textContent('[data-testid=body]'), /<script>window\.__pwned = 1<\/script>/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('[data-testid=body] script, [data-testid=body] img').count(), 0);
});

test('the status catalogue filters, and "try it" for 404 shows 404 in the journey view', async () => {
  await page.goto(`${BASE}/status-codes`);
  await page.waitForSelector('[data-testid=status-filter]');
  assert.equal(await page.locator('[data-testid^=code-]').count(), 62, 'every code of the IANA registry is listed');
  await page.fill('[data-testid=status-filter]', 'not found');
  assert.ok(await page.isVisible('[data-testid=code-404]'));
  assert.ok(await page.isHidden('[data-testid=code-200]'));
  await page.click('[data-testid=try-404]');
  await page.waitForSelector('[data-testid=tried] [data-testid=journey]');
  assert.equal(await page.textContent('[data-testid=tried] [data-testid=status]'), '404');
  const handled = page.locator('[data-testid=tried] [data-testid=journey-steps] li', { hasText: 'Browser handles it' });
  assert.match(await handled.textContent(), /the status 404 reports a failure/);
  assert.ok(await page.isDisabled('[data-testid=try-103]'), 'a 1xx cannot be a final answer');
});

test('headers are explained with a link to MDN, and unknown ones say so', async () => {
  await open();
  await openOptions();
  await page.fill('[data-testid=headers]', 'X-Made-Up: 1');
  await send();
  await page.click('.explain-headers summary');
  const row = (table, name) => page.locator(`[data-testid=${table}] tr:has(th:text-is("${name}"))`);
  const host = row('request-headers', 'host');
  assert.match(await host.textContent(), /Which site on the server/);
  assert.equal(await host.locator('a').getAttribute('href'), 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Host');
  assert.match(await row('request-headers', 'x-made-up').textContent(), /no explanation yet/);
  assert.match(await row('response-headers', 'server-timing').textContent(), /where its time went/);
  // Every header the lab itself sends is explained; its own has no MDN page to link to.
  const own = row('response-headers', 'x-roundtrip-connection');
  assert.match(await own.textContent(), /Roundtrip's lab only: the number of the connection/);
  assert.equal(await own.locator('a').count(), 0);
  assert.match(await row('response-headers', 'content-security-policy').textContent(), /the browser blocks the rest/);
  assert.doesNotMatch(await page.textContent('[data-testid=response-headers]'), /no explanation yet/);
});

test('a header the browser owns is named at the form, and the result says it was not sent', async () => {
  await open();
  await openOptions();
  await page.fill('[data-testid=headers]', 'Host: example.com\nX-Fine: 1');
  assert.match(await page.textContent('[data-testid=owned-headers-note]'), /The browser owns Host: fetch drops a page's value/);
  await send();
  assert.match(await page.textContent('[data-testid=dropped]'), /never sent: host/i);
  await page.fill('[data-testid=headers]', 'X-Fine: 1');
  assert.equal(await page.locator('[data-testid=owned-headers-note]').count(), 0);
});

test('an unsent request is still there after a visit to another page', async () => {
  await open();
  await openOptions();
  await page.fill('[data-testid=url]', '/lab/status/418');
  await page.fill('[data-testid=headers]', 'X-Kept: yes');
  await page.selectOption('[data-testid=method]', 'PUT');
  await page.click('nav[aria-label=Main] a[href="/timeline"]');
  await page.waitForSelector('[data-testid=timeline-counts]');
  await page.click('nav[aria-label=Main] a[href="/"]');
  await page.waitForSelector('[data-testid=send]');
  assert.equal(await page.inputValue('[data-testid=url]'), '/lab/status/418');
  assert.equal(await page.inputValue('[data-testid=headers]'), 'X-Kept: yes');
  assert.equal(await page.inputValue('[data-testid=method]'), 'PUT');
});

test('URL anatomy: parts labelled, the query table rewrites the URL, a malformed URL says where', async () => {
  await open('?url=' + encodeURIComponent('http://127.0.0.1:9/lab/get?x=1&name=Ada%20L#top'));
  assert.match(await page.textContent('[data-testid=part-host]'), /127\.0\.0\.1/);
  assert.match(await page.textContent('[data-testid=part-port]'), /:9/);
  assert.match(await page.textContent('[data-testid=part-fragment]'), /#top/);
  assert.equal(await page.inputValue('[data-testid=param-value-1]'), 'Ada L', 'values are shown decoded');
  await page.fill('[data-testid=param-value-0]', '42');
  assert.equal(await page.inputValue('[data-testid=url]'), 'http://127.0.0.1:9/lab/get?x=42&name=Ada%20L#top');
  await page.click('[data-testid=add-param]');
  assert.match(await page.inputValue('[data-testid=url]'), /&key3=#top$/);
  await page.fill('[data-testid=url]', 'http://example.org:99999/');
  const problem = await page.textContent('[data-testid=url-problem]');
  assert.match(problem, /a port is a number from 0 to 65535/);
  assert.equal(await page.textContent('[data-testid=url-problem] mark'), '9');
});

test('cookies: set through the panel, in the jar, sent back in the next request, counted by the lab', async () => {
  await page.goto(`${BASE}/cookies`);
  await page.waitForSelector('[data-testid=set-cookie]');
  await page.fill('[data-testid=cookie-name]', 'flavour');
  await page.fill('[data-testid=cookie-value]', 'oat');
  assert.equal(await page.textContent('[data-testid=planned]'), 'Set-Cookie: flavour=oat; Path=/');
  await page.click('[data-testid=set-cookie]');
  const row = page.locator('[data-testid=jar-flavour]');
  await row.waitFor();
  assert.match(await row.textContent(), /oat.*yes/s);

  await page.fill('[data-testid=cookie-name]', 'secret');
  await page.fill('[data-testid=cookie-value]', 's1');
  await page.check('[data-testid=cookie-httponly]');
  await page.click('[data-testid=set-cookie]');
  await page.locator('[data-testid=jar-secret]').waitFor();
  assert.match(await page.textContent('[data-testid=jar-secret]'), /no: it is HttpOnly/);
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('secret'), 'JavaScript cannot read an HttpOnly cookie');

  await page.click('[data-testid=run-steps]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cookie-steps] li').length === 4);
  const steps = await page.locator('[data-testid=cookie-steps] li').allTextContents();
  assert.match(steps[0], /visits=1/);
  assert.match(steps[1], /Path=\/lab covers only \/lab URLs/);
  assert.match(steps[2], /Cookie: .*visits=1/);
  assert.match(steps[2], /flavour=oat/, 'the cookie set through the panel travels with the next request');
  assert.match(steps[3], /visits=2/);
});

test('the raw view of a POST with a JSON body shows the blank line and the body; the wire view names what the browser changed', async () => {
  await open('?method=POST&body=' + encodeURIComponent('{"hello":"server"}') + '&headers=' + encodeURIComponent('Content-Type: application/json\nVia: sneaky'));
  await send();
  assert.equal(await page.textContent('[data-testid=echo-raw] [data-testid=raw-body]'), '{"hello":"server"}');
  assert.equal(await page.getAttribute('[data-testid=echo-raw] [data-testid=raw-blank]', 'title'), 'The blank line: the headers end here, the body begins');
  assert.match(await page.textContent('[data-testid=echo-raw]'), /^POST \/lab\/anything HTTP\/1\.1\n(.+\n)+⏎ \(blank line\)\n\{"hello":"server"\}$/);
  assert.match(await page.textContent('[data-testid=response-raw]'), /^HTTP\/1\.1 200 OK\n/);
  const added = await page.textContent('[data-testid=added-by-browser]');
  assert.match(added, /host — JavaScript may not set this one/);
  assert.match(added, /user-agent/);
  assert.match(await page.textContent('[data-testid=dropped]'), /Via/);
  assert.match(await page.textContent('[data-testid=wire-vs-js]'), /except Set-Cookie/);
});

test('the quiz: guess the code for a scenario, then send it for real', async () => {
  await page.goto(`${BASE}/status-codes`);
  await page.waitForSelector('[data-testid=quiz]');
  await page.click('[data-testid=quiz-next]');
  assert.match(await page.textContent('[data-testid=quiz-scenario]'), /nothing behind it/);
  await page.click('[data-testid=guess-404]');
  await page.click('[data-testid=quiz-fire]');
  assert.match(await page.locator('[data-testid=quiz-verdict]').textContent(), /^Right: the lab answered 404/);
  await page.click('[data-testid=quiz-next]');
  await page.click('[data-testid=guess-403]');
  await page.click('[data-testid=quiz-fire]');
  assert.match(await page.locator('[data-testid=quiz-verdict]').textContent(), /^Not quite: the lab answered 401 \(you guessed 403\)/);
});

test('a body too long for a link is sent whole, kept out of the address, and the page says so', async () => {
  await open();
  await page.selectOption('[data-testid=method]', 'POST');
  await openOptions();
  await page.fill('[data-testid=body-input]', 'x'.repeat(9000));
  assert.match(await page.textContent('[data-testid=link-note]'), /the body \(9000 bytes\) is longer than the 8192 bytes a link keeps/);
  await send();
  assert.equal(await page.textContent('[data-testid=status]'), '200');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('method'), 'POST');
  assert.equal(url.searchParams.get('body'), null, 'the address leaves the body out');
  const echoed = Number((await page.textContent('[data-testid=result]')).match(/· (\d+) bytes/)?.[1]);
  assert.ok(echoed > 9000, `the lab echoed ${echoed} bytes: it received all of the body`);
  // Whoever opens that address is told what it left out.
  await page.goto(page.url());
  await page.waitForSelector('[data-testid=send]');
  assert.equal(await page.textContent('[data-testid=link-problems]'), "The sender's request had a body too long for a link, left out of it: this opened without it.");
  assert.equal(await page.inputValue('[data-testid=method]'), 'POST');
});

test('a javascript: URL is refused with its own scheme named', async () => {
  await open('?url=' + encodeURIComponent('javascript:alert(1)'));
  await send();
  assert.equal(await page.getAttribute('[data-testid=failure]', 'data-kind'), 'invalid');
  assert.match(await page.textContent('[data-testid=failure]'), /javascript: is not http: or https:/);
});
