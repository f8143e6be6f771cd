import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { launchChromium, newContext, screenshot } from '../helpers/browser.ts';

// The administration console in Chromium, in Chinese at 1440×900 (a street office's desktop):
// the street administrator adds a staff account, makes a wall-screen link and revokes an API key.
// Screenshots in test-results/ (zh-CN and en) are looked at by people.

const CONSOLE = { width: 1440, height: 900 } as const;
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';

describe.each(inject('browserTargets'))('the administration console in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');

  beforeAll(async () => {
    browser = await launchChromium();
    context = await newContext(browser, { viewport: CONSOLE, locale: 'zh-CN' });
    const signedIn = await context.request.post(`${base}/api/session`, { data: { username: 'admin', password: PASSWORD } });
    expect(signedIn.status()).toBe(200);
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => { await browser?.close(); });

  it('adds a grid worker with an account and shows the password once', async () => {
    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.fill('form.draft input[name=name]', `测试网格员${suffix}`);
    await page.selectOption('form.draft select[name=role]', 'grid_worker');
    await page.selectOption('form.draft select[name=areaId]', 'MS-XSL-G02');
    await page.fill('form.draft input[name=phone]', '139-0000-3333');
    await page.fill('form.draft input[name=username]', `test-${suffix}`);
    await page.getByRole('button', { name: '添加', exact: true }).click();
    const secret = page.getByTestId('secret');
    await expect(secret.textContent({ timeout: 15_000 })).resolves.toMatch(/^[A-Za-z0-9_-]{16}$/);
    await expect(page.locator('.once p').textContent()).resolves.toContain('只显示这一次');
    await expect(page.locator('tr', { hasText: `test-${suffix}` }).textContent()).resolves.toContain('网格员');
    await screenshot(page, `admin-people-zh-${engine}.png`);
    const password = (await secret.textContent())!;
    const fresh = await fetch(`${base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `test-${suffix}`, password }),
    });
    expect(fresh.status).toBe(200);
  });

  it('says a refused phone number in Chinese at the form, and adds nobody', async () => {
    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.fill('form.draft input[name=name]', `号码错${suffix}`);
    await page.fill('form.draft input[name=phone]', 'abc');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await expect(page.locator('form.draft .error').textContent({ timeout: 15_000 })).resolves.toBe('电话不正确，请检查');
    expect(await page.locator('form.draft input[name=phone]').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('tr', { hasText: `号码错${suffix}` }).count()).resolves.toBe(0);
  });

  it('creates a wall-screen link that opens the wall', async () => {
    await page.goto(`${base}/admin?tab=kiosks`);
    await page.fill('input[name=label]', `会议室大屏${suffix}`);
    await page.selectOption('select[name=areaId]', 'MS-XSL');
    await page.getByRole('button', { name: '生成大屏链接' }).click();
    const link = (await page.getByTestId('secret').textContent({ timeout: 15_000 }))!;
    expect(link).toMatch(/\/wall\?kiosk=[A-Za-z0-9_-]+$/);
    await expect(page.locator('tr', { hasText: `会议室大屏${suffix}` }).textContent()).resolves.toContain('有效');
    await screenshot(page, `admin-kiosks-zh-${engine}.png`);
    const token = new URL(link).searchParams.get('kiosk')!;
    expect((await fetch(`${base}/api/stats?kiosk=${token}`)).status).toBe(200);
  });

  it('revokes an API key, which then files nothing', async () => {
    const made = await (await context.request.post(`${base}/api/admin/api-keys`, { data: { label: `热线${suffix}` } })).json();
    await page.goto(`${base}/admin?tab=keys`);
    const row = page.locator('tr', { hasText: `热线${suffix}` });
    await row.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => row.locator('td').nth(3).textContent(), { timeout: 15_000 }).toBe('已撤销');
    await screenshot(page, `admin-keys-zh-${engine}.png`);
    const filed = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST', body: new URLSearchParams({ api_key: made.secret, service_code: 'street_light', lat: '0', long: '0' }),
    });
    expect(filed.status).toBe(403);
  });

  it('reads in English too, with the change log', async () => {
    await page.goto(`${base}/admin?tab=log`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('tab', { name: 'Change log' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('tbody tr').first().textContent({ timeout: 15_000 })).resolves.toMatch(/admin/);
    await screenshot(page, `admin-log-en-${engine}.png`);
    await page.getByRole('tab', { name: 'People' }).click();
    await expect(page.locator('th').first().textContent()).resolves.toBe('Name');
    await screenshot(page, `admin-people-en-${engine}.png`);
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('tells a grid worker the console is not theirs', async () => {
    const worker = await newContext(browser, { viewport: CONSOLE, locale: 'zh-CN' });
    await worker.request.post(`${base}/api/session`, { data: { username: 'xsl-g01-zhao', password: PASSWORD } });
    const workerPage = await worker.newPage();
    await workerPage.goto(`${base}/admin`);
    await expect(workerPage.locator('.error').textContent({ timeout: 15_000 })).resolves.toContain('街道管理员和社区书记');
    await worker.close();
  });
});
