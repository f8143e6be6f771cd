import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { launchChromium, newContext, screenshot } from '../helpers/browser.ts';

// 管理后台 → 地点图层 in Chromium, in Chinese at 1440×900: a CSV of service points with Chinese
// headings is checked (a row with an unknown category is named, and nothing can be imported),
// then the corrected file is shown on the map and imported. Screenshots (zh-CN, en) are looked at.

const CONSOLE = { width: 1440, height: 900 } as const;
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';
const demoPoi = JSON.parse(readFileSync('data/demo/pois.geojson', 'utf8')).features[0].geometry.coordinates as [number, number];

describe.each(inject('browserTargets'))('importing a place layer in the console on %s', (engine, base) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');
  const csv = (category: string) => Buffer.from(`名称,类别,营业时间,经度,纬度\n便民药店${suffix},${category},Mo-Su 08:00-21:00,${demoPoi[0] + 0.0004},${demoPoi[1] + 0.0003}\n`);

  beforeAll(async () => {
    browser = await launchChromium();
    context = await newContext(browser, { viewport: CONSOLE, locale: 'zh-CN' });
    const signedIn = await context.request.post(`${base}/api/session`, { data: { username: 'admin', password: PASSWORD } });
    expect(signedIn.status()).toBe(200);
    page = await context.newPage();
  });
  afterAll(async () => { await browser?.close(); });

  it('names the problem of a bad row, then shows the corrected file on the map and imports it', async () => {
    await page.goto(`${base}/admin?tab=places`);
    await page.selectOption('select[name=layer]', 'pois');
    await page.setInputFiles('input[name=file]', { name: '服务点.csv', mimeType: 'text/csv', buffer: csv('卖药的') });
    const summary = page.getByTestId('import-summary');
    await expect(summary.textContent({ timeout: 30_000 })).resolves.toContain('1 处错误');
    await expect(page.locator('table.problems').textContent()).resolves.toContain('类别的值无法识别');
    expect(await page.getByRole('button', { name: '导入（全部成功或全部不导入）' }).isDisabled()).toBe(true);
    expect(await page.locator('select[name=map-lon]').inputValue()).toBe('经度');

    await page.setInputFiles('input[name=file]', { name: '服务点.csv', mimeType: 'text/csv', buffer: csv('药店') });
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('0 处错误');
    await page.waitForFunction(() => (window as unknown as { __importMap?: { loaded(): boolean } }).__importMap?.loaded() === true, undefined, { timeout: 30_000 });
    await screenshot(page, `admin-places-zh-${engine}.png`);
    await page.getByRole('button', { name: '导入（全部成功或全部不导入）' }).click();
    await expect(page.getByTestId('import-done').textContent({ timeout: 30_000 })).resolves.toBe('已导入：新增 1，更新 0，未变 0');
    const exported = await (await context.request.get(`${base}/api/admin/export/pois.geojson`)).json();
    expect(exported.features.some((f: { properties: { name: string } }) => f.properties.name === `便民药店${suffix}`)).toBe(true);
  });

  it('reads in English too', async () => {
    await page.goto(`${base}/admin?tab=places`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.selectOption('select[name=layer]', 'pois');
    await page.setInputFiles('input[name=file]', { name: 'pois.csv', mimeType: 'text/csv', buffer: csv('clinic') });
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toContain('0 error(s)');
    await page.waitForFunction(() => (window as unknown as { __importMap?: { loaded(): boolean } }).__importMap?.loaded() === true, undefined, { timeout: 30_000 });
    await screenshot(page, `admin-places-en-${engine}.png`);
    await page.getByRole('button', { name: '中文' }).click(); // leave the page's language as the other tests expect it
  });
});
