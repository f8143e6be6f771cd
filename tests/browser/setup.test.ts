import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { emptyDatabaseFor } from '../helpers/databases.ts';
import { launchChromium, newContext, PHONE, screenshot } from '../helpers/browser.ts';
import { startServer, until } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';

// The first administrator of a new installation, in Chromium, in Chinese: the embedded default
// started empty (DEMO_DATA=off), as a street office starts it for real.

/** Fills the setup form as the administrator would type it. */
async function fillSetup(page: Page, again: string) {
  await page.fill('input[name=name]', '郭为民');
  await page.fill('input[name=username]', 'guo');
  await page.fill('input[name=password]', 'a-long-password');
  await page.fill('input[name=again]', again);
}

describe('the setup page of an empty installation in Chromium', () => {
  let browser: Browser;
  let server: ReturnType<typeof startServer>;
  let database: Awaited<ReturnType<typeof emptyDatabaseFor>>;
  let base: string;
  const token = () => /\/setup\?token=([A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? '';

  beforeAll(async () => {
    database = await emptyDatabaseFor('pglite');
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = startServer({ PORT: String(port), DEMO_DATA: 'off', ...database.env });
    await until(() => /ready in/.test(server.output()), 120_000);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await database?.drop();
  });

  it('tells a visitor of the sign-in page where the first account comes from', async () => {
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(`${base}/login`);
    await expect(page.locator('.note').textContent({ timeout: 20_000 })).resolves.toContain('初始化链接');
    await screenshot(page, 'setup-login-hint.png');
  });

  it('says in Chinese, at the field, that the two passwords differ', async () => {
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(`${base}/setup?token=${token()}`);
    await fillSetup(page, 'another-password');
    await page.click('button[type=submit]');
    await expect(page.locator('.error').textContent()).resolves.toBe('两次输入的密码不一致');
    expect(await page.locator('input[name=again]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('again');
  });

  it('refuses a link that is not the one printed, in Chinese', async () => {
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(`${base}/setup?token=not-the-token`);
    await fillSetup(page, 'a-long-password');
    await page.click('button[type=submit]');
    await expect(page.locator('.error').textContent()).resolves.toContain('初始化链接已失效');
  });

  it('creates the first administrator from the printed link and shows the next steps', async () => {
    const page = await (await newContext(browser, { viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(`${base}/setup?token=${token()}`);
    await fillSetup(page, 'a-long-password');
    await screenshot(page, 'setup-form.png');
    await page.click('button[type=submit]');
    await page.locator('h1', { hasText: '管理员已创建' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('.next li').count()).resolves.toBe(3);
    await screenshot(page, 'setup-done.png');
    // the link has served: opened again, it sends to the sign-in
    const later = await (await newContext(browser, { viewport: PHONE })).newPage();
    await later.goto(`${base}/setup?token=${token()}`);
    await expect(later.locator('a.go').textContent({ timeout: 15_000 })).resolves.toBe('去登录');
  });
});
