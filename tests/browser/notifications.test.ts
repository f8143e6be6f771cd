import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DESKTOP, launchChromium, newContext, outsideRequestsSeen, screenshot } from '../helpers/browser.ts';

// A grid worker with /worker open hears of a request filed in their grid: the bell's count rises
// and its list names the request, in Chinese. Screenshots of the bell's list go to test-results/.

let baseUrl: string | undefined;
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';
const url = (path: string) => new URL(path, baseUrl!).href;

async function fileInGrid(gridId: string, description: string): Promise<string> {
  const grid = (await (await fetch(url(`/api/collections/grids/items/${gridId}`))).json()) as Feature<Polygon | MultiPolygon>;
  const [lon, lat] = pointOnFeature(grid).geometry.coordinates;
  const res = await fetch(url('/api/requests'), {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'blocked_drain', description, lon, lat, contact: '139-0000-1111' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: string }).ticket;
}

/** Signs in on a fresh page; counts calls of Notification.requestPermission (must stay 0 until a button asks). */
async function signedIn(browser: Browser, username: string, options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
  const context = await newContext(browser, options);
  await context.addInitScript(() => {
    const w = window as unknown as { __asked: number };
    w.__asked = 0;
    if (typeof Notification !== 'undefined') {
      const ask = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...args) => { w.__asked++; return ask(...args); };
    }
  });
  const page = await context.newPage();
  await page.goto(url('/login'));
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL('**/worker', { timeout: 15_000 });
  return page;
}

const badge = async (page: Page) => Number((await page.locator('[data-testid=notification-count]').textContent({ timeout: 500 }).catch(() => '0')) || 0);

describe.each(inject('browserTargets'))('notifications in Chromium on %s', (_engine, target) => {
  let browser: Browser;
  beforeAll(async () => {
    baseUrl = target;
    browser = await launchChromium();
  });
  afterAll(async () => { await browser?.close(); });

  it('raises the worker’s badge when a request is filed in their grid, and lists it in Chinese', async () => {
    const page = await signedIn(browser, 'xsl-g01-zhao');
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.locator('header button.ring').waitFor();
    // the list is read on load; then mark everything read so the count starts from zero
    await page.click('header button.ring');
    await page.locator('.bell-panel[data-loaded=true]').waitFor({ timeout: 15_000 });
    const markAll = page.getByRole('button', { name: '全部已读' });
    if (await markAll.isEnabled()) await markAll.click();
    await page.click('header button.ring');
    await expect.poll(() => badge(page)).toBe(0);

    const ticket = await fileInGrid('MS-XSL-G01', '楼下下水道堵了，浏览器通知测试');
    await expect.poll(() => badge(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await page.click('header button.ring');
    const item = page.locator('.bell-panel li', { hasText: ticket });
    await expect.poll(() => item.count()).toBe(1);
    const text = await item.innerText();
    expect(text).toContain('新诉求');
    expect(text).toContain('下水道堵塞');
    expect(text).toContain('第一网格');
    expect(text).not.toContain('浏览器通知测试'); // the resident's words stay on the request's own page
    expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0); // never asked on load
    await screenshot(page, 'notifications-worker-phone-zh.png');

    // opening it from the list marks it read and shows the request
    await item.locator('button').click();
    await page.waitForURL(`**/worker?ticket=${ticket}`);
    await expect.poll(() => page.getByText(ticket).first().isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the bell’s list in English and on a wide screen', async () => {
    const phone = await signedIn(browser, 'xsl-g01-wu', { locale: 'en-US' });
    await phone.evaluate(() => localStorage.setItem('gridmap.locale', 'en'));
    await phone.reload();
    await fileInGrid('MS-XSL-G01', 'a drain test for the English list');
    await expect.poll(() => badge(phone), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await phone.click('header button.ring');
    await expect.poll(() => phone.locator('.bell-panel li', { hasText: 'New request' }).count()).toBeGreaterThan(0);
    await screenshot(phone, 'notifications-worker-phone-en.png');
    await phone.context().close();

    for (const [locale, name] of [['zh-CN', 'zh'], ['en', 'en']] as const) {
      const desk = await signedIn(browser, 'xsl-g01-zhou', { viewport: DESKTOP });
      await desk.evaluate((l) => localStorage.setItem('gridmap.locale', l), locale);
      await desk.reload();
      await expect.poll(() => badge(desk), { timeout: 10_000 }).toBeGreaterThan(0); // the list has been read
      await desk.locator('header button.ring').click();
      await desk.locator('.bell-panel').waitFor();
      await screenshot(desk, `notifications-worker-desktop-${name}.png`);
      await desk.context().close();
    }
    expect(outsideRequestsSeen).toEqual([]);
  });
});
