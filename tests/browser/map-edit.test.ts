import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { embeddedTarget, launchChromium, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// 管理后台 → 地图编辑 in Chromium, in Chinese at 1440×900 (the embedded default only: the API's
// checks run on both engines in tests/api/map-edit.test.ts): a secretary clicks a service point,
// drags it with the mouse (terra-draw, loaded when the edit starts) and saves; the point is where it
// was dropped. English and a phone (which says editing needs a larger screen) are looked at. The
// point is put back afterwards: the browser files share one server.

const CONSOLE = { width: 1440, height: 900 } as const;
const POI = 'MS-P013'; // 楼院居民议事角, in 学生路社区
type MapHandle = {
  jumpTo(o: object): void;
  project(p: [number, number]): { x: number; y: number };
  unproject(p: [number, number]): { lng: number; lat: number };
  queryRenderedFeatures(p: { x: number; y: number }, o: object): unknown[];
};

describe.each(embeddedTarget())('editing on the map in the console on %s', (engine, base) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie: string;
  let original: [number, number];

  const poiAt = async (): Promise<[number, number]> =>
    (await (await context.request.get(`${base}/api/collections/pois/items/${POI}`)).json()).geometry.coordinates;

  beforeAll(async () => {
    browser = await launchChromium();
    cookie = await staffCookie(base, 'xsl-shuji');
    context = await signedInContext(browser, base, cookie, { viewport: CONSOLE, locale: 'zh-CN' });
    page = await context.newPage();
    original = await poiAt();
  });
  afterAll(async () => {
    // the point back where it was, for the other browser files
    await context?.request.post(`${base}/api/admin/places/pois/${POI}/position`, { headers: { origin: base }, data: { geometry: { type: 'Point', coordinates: original } } });
    await browser?.close();
  });

  it('drags a service point and saves it where it was dropped, in Chinese', async () => {
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
    await page.goto(`${base}/admin?tab=mapedit`);
    await page.locator('section.map-edit[data-ready=true]').waitFor({ timeout: 30_000 });
    expect(scripts.some((u) => u.includes('map-editor'))).toBe(false); // terra-draw waits for the first edit
    await page.evaluate((at) => (window as unknown as { __editMap: MapHandle }).__editMap.jumpTo({ center: at, zoom: 18 }), original);
    // the editable point drawn where it is (the basemap's tiles need not have arrived for a click)
    await page.waitForFunction((at) => {
      const map = (window as unknown as { __editMap: MapHandle }).__editMap;
      return map.queryRenderedFeatures(map.project(at), { layers: ['edit-point'] }).length > 0;
    }, original, { timeout: 30_000 });
    const box = (await page.locator('.map-edit .map canvas').boundingBox())!;
    const on = await page.evaluate((at) => (window as unknown as { __editMap: MapHandle }).__editMap.project(at), original);
    const [x, y] = [box.x + on.x, box.y + on.y];
    await page.mouse.click(x, y);
    await expect(page.getByTestId('edit-selected').textContent()).resolves.toContain('楼院居民议事角');
    await page.locator('section.map-edit[data-editing=ready]').waitFor({ timeout: 30_000 });
    expect(scripts.some((u) => u.includes('map-editor'))).toBe(true);
    const save = page.getByRole('button', { name: '保存', exact: true });
    expect(await save.isDisabled()).toBe(true); // nothing moved yet

    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 60, y + 40, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => save.isDisabled(), { timeout: 10_000 }).toBe(false);
    const dropped = await page.evaluate(([px, py]) => (window as unknown as { __editMap: MapHandle }).__editMap.unproject([px, py]), [on.x + 60, on.y + 40] as [number, number]);
    await screenshot(page, `map-edit-zh-${engine}.png`);
    await save.click();
    await expect(page.getByTestId('edit-saved').textContent({ timeout: 30_000 })).resolves.toBe('已保存：位置已移动。');
    const [lon, lat] = await poiAt();
    expect(Math.abs(lon - dropped.lng)).toBeLessThan(0.00003); // within a few metres of the drop (terra-draw snaps to the pointer's pixel)
    expect(Math.abs(lat - dropped.lat)).toBeLessThan(0.00003);
    expect(Math.abs(lon - original[0]) + Math.abs(lat - original[1])).toBeGreaterThan(0.0001);
  });

  it('reads in English, and on a phone says editing needs a larger screen', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Edit on the map' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('edit-saved').textContent()).resolves.toBe('Saved: the point was moved.');
    await screenshot(page, `map-edit-en-${engine}.png`);
    await page.getByRole('button', { name: '中文' }).click(); // leave the page's language as the other tests expect it

    // a phone's width (the page reads the screen's width when it opens)
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.locator('section.map-edit[data-ready=true]').waitFor({ timeout: 30_000 });
    await expect(page.locator('.small-screen').textContent()).resolves.toContain('地图编辑需要较大的屏幕');
    await screenshot(page, `map-edit-phone-zh-${engine}.png`, { fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0); // nothing wider than the phone
  });
});
