import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { DESKTOP, launchChromium, newContext, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// 三率考核 in Chromium, in Chinese, as a community secretary reads it: the three figures each with
// its definition beside it, the grids of the community to drill into, the monthly report to
// download; and in English. Runs against the embedded default and PostgreSQL.

describe.each(inject('browserTargets'))('the rates page in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let cookie: string;
  beforeAll(async () => {
    browser = await launchChromium();
    cookie = await staffCookie(base, 'xsl-shuji');
  });
  afterAll(async () => browser?.close());

  const signedIn = (options: Parameters<typeof newContext>[1]): Promise<BrowserContext> => signedInContext(browser, base, cookie, options);

  it('sends a visitor without a session to sign in first', async () => {
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(new URL('/rates', base).href);
    await page.waitForURL('**/login?next=%2Frates', { timeout: 15_000 });
  });

  it('shows the community’s three rates with their definitions, the same figures as the API, and drills into a grid', async () => {
    const page = await (await signedIn({ viewport: DESKTOP })).newPage();
    await page.goto(new URL('/rates', base).href);
    const figures = page.locator('.figure');
    await figures.first().waitFor({ timeout: 20_000 });
    await expect(figures.count()).resolves.toBe(3);
    await expect(page.locator('h1').textContent()).resolves.toContain('学生路社区');
    await expect(figures.nth(0).locator('.definition').textContent()).resolves.toContain('超时未认领的计入分母');
    await expect(figures.nth(1).locator('.definition').textContent()).resolves.toContain('超期未办结的计入分母');

    // the page's figure is the API's, worded as a percentage
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const api = await (await fetch(new URL(`/api/rates?month=${month}`, base), { headers: { cookie } })).json();
    const shown = await figures.nth(0).locator('.count').textContent();
    expect(shown).toContain(`${api.total.response.met} / ${api.total.response.due}`);
    await expect(page.locator('tbody').first().locator('tr').count()).resolves.toBe(12);
    await screenshot(page, `rates-community-${engine}.png`);

    await page.locator('tbody button.link').first().click();
    await page.locator('h1', { hasText: '第一网格' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('select').inputValue()).resolves.toBe('worker');
    await screenshot(page, `rates-grid-${engine}.png`);
  });

  it('downloads the monthly report from the page as a workbook', async () => {
    const page = await (await signedIn({ viewport: DESKTOP })).newPage();
    await page.goto(new URL('/rates', base).href);
    const link = page.locator('a.button');
    await link.waitFor({ timeout: 20_000 });
    const href = await link.getAttribute('href');
    const res = await page.request.get(new URL(href!, base).href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
  });

  it('reads in English on a phone, the definitions too', async () => {
    const page = await (await signedIn({ viewport: PHONE, locale: 'en-US' })).newPage();
    await page.goto(new URL('/rates?lang=en', base).href);
    await page.locator('.figure').first().waitFor({ timeout: 20_000 });
    await expect(page.locator('.figure h2').first().textContent()).resolves.toBe('Response rate');
    await expect(page.locator('.figure .definition').first().textContent()).resolves.toContain('counts in the denominator');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `rates-phone-en-${engine}.png`);
  });
});
