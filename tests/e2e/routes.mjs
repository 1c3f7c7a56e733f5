// Every route of the app with its main interaction, shared by the safety,
// accessibility and small-screen tests.
export const ROUTES = [
  { path: '/', ready: '[data-testid=send]', run: async (page) => {
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=result]');
  } },
  { path: '/lessons', ready: '.lesson-item', run: async () => {} },
  { path: '/lesson/methods', ready: '[data-testid=try-0]', run: async (page) => {
    await page.click('[data-testid=try-0]');
    await page.waitForSelector('[data-testid=result]');
  } },
  { path: '/lesson/https', ready: '[data-testid=eavesdropper]', run: async (page) => {
    await page.click('[data-testid=try-0]');
    await page.waitForSelector('[data-testid=result]');
  } },
  { path: '/lesson/client-and-server', ready: '[data-testid=sort]', run: async (page) => {
    await page.click('[data-testid=sort-check]');
    await page.waitForSelector('[data-testid=sort-verdict-0]');
  } },
  { path: '/timeline', ready: '[data-testid=waterfall]', run: async () => {} },
  { path: '/pages', ready: '[data-testid=load-tiny]', run: async (page) => {
    await page.click('[data-testid=load-tiny]');
    await page.waitForSelector('[data-testid=load-status][data-state=done]', { timeout: 20000 });
  } },
  { path: '/status-codes', ready: '[data-testid=try-404]', run: async (page) => {
    await page.click('[data-testid=try-404]');
    await page.waitForSelector('[data-testid=tried] [data-testid=status]');
  } },
  { path: '/cookies', ready: '[data-testid=run-steps]', run: async (page) => {
    await page.click('[data-testid=run-steps]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cookie-steps] li').length === 4);
  } },
  { path: '/no/such/page', ready: '[data-testid=not-found]', run: async () => {} },
];
