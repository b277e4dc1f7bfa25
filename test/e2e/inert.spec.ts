import { expect, test } from '@playwright/test';
import { fixture, startHost, stopHost, type BrowserHost } from './host';
import { expectTaskReady } from './pages';

let host: BrowserHost;
test.beforeEach(async () => {
  host = await startHost({ importFile: fixture('xss-task.jsonl') });
});
test.afterEach(async () => {
  await stopHost(host);
});

test('HTML/JS payloads and javascript: links in a response render inert', async ({ page }) => {
  const foreignRequests: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(host.origin)) foreignRequests.push(req.url());
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  const response = await page.goto(host.url);
  const csp = response!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');

  await expect(page.getByTestId('start-button')).toBeVisible();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'xss-1');

  const cards = page.locator('[data-testid^="response-"][data-response-id]');
  const evil = cards.filter({ hasText: 'click me' });
  await expect(evil).toHaveCount(1);
  // raw HTML is shown as text, never parsed into elements
  await expect(evil).toContainText('<script>window.__pwned = 1</script>');
  for (const selector of ['script', 'iframe', 'img', 'object', 'embed', '[onerror]']) {
    await expect(cards.locator(selector)).toHaveCount(0);
  }
  await expect(page.locator('main iframe, main script')).toHaveCount(0);
  // no link can navigate anywhere dangerous
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  for (const href of hrefs) expect(href).not.toMatch(/^\s*(javascript|data|vbscript):/i);

  // clicking the javascript: link does nothing
  const before = page.url();
  await evil.getByText('click me').click();
  await page.waitForTimeout(200);
  expect(page.url()).toBe(before);

  // the prompt's <img onerror> is text too
  await expect(page.locator('main')).toContainText('<img src=x onerror="window.__pwned=1">');

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(foreignRequests).toEqual([]);
});
