import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// 走访巡查 in Chromium, in Chinese, as a grid worker uses it on the phone: the nearest building
// found from the phone's position, a finding logged and turned into a request in one tap, a short
// patrol whose track is drawn, and this month's coverage with the building now visited. One page
// load for the whole walk. Runs against the embedded default and PostgreSQL.

describe.each(inject('browserTargets'))('field visits and patrol in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let cookie: string;
  beforeAll(async () => {
    browser = await launchChromium();
    cookie = await staffCookie(base, 'xsl-g01-zhao');
  });
  afterAll(async () => browser?.close());

  const api = async (path: string) => (await fetch(new URL(path, base), { headers: { cookie } })).json();

  it('logs a visit at the nearest building, files its finding as a request, walks a patrol and sees the building covered', async () => {
    // the phone stands at a building of G01 that nobody visited this month (the coverage says which)
    const before = await api('/api/visits/coverage');
    const target = before.buildings.features.find((f: { properties: { visits: number } }) => f.properties.visits === 0);
    const [lon, lat] = target.geometry.coordinates as [number, number];
    const context = await signedInContext(browser, base, cookie, { viewport: PHONE, geolocation: { longitude: lon, latitude: lat, accuracy: 5 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(new URL('/visits', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').textContent()).resolves.toContain('走访巡查');

    await page.locator('button', { hasText: '定位最近的楼栋' }).click();
    await expect.poll(() => page.locator('select[name="building"]').inputValue(), { timeout: 15_000 }).toBe(target.id);
    await page.locator('textarea[name="finding"]').fill('楼道里堆满纸箱杂物，堵住了消防通道');
    await page.locator('button', { hasText: '保存走访' }).click();
    const saved = page.locator('[data-testid="visit-saved"]');
    await saved.waitFor({ timeout: 15_000 });
    await expect(page.locator('select[name="category"]').inputValue()).resolves.toBe('clutter'); // suggested from the words
    await page.locator('button', { hasText: '一键转为诉求' }).click();
    const filed = page.locator('[data-testid="visit-filed"]');
    await filed.waitFor({ timeout: 15_000 });
    const ticket = (await filed.textContent())!.match(/GM\d{8}-\d+/)![0];
    await screenshot(page, `visits-filed-phone-${engine}.png`);
    const request = await api(`/api/staff/requests/${ticket}`);
    expect([request.channel, request.gridId, request.building?.id, request.status]).toEqual(['visit', 'MS-XSL-G01', target.id, 'collected']);

    // a short patrol: consent, start, the first position, a step of ~40 m, stop
    await page.locator('nav.tabs button', { hasText: '巡查' }).click();
    const patrol = page.locator('[data-testid="patrol"]');
    await patrol.locator('input[type="checkbox"]').check();
    await patrol.locator('button', { hasText: '开始巡查' }).click();
    await page.locator('[data-testid="patrol"][data-state="walking"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="patrol"][data-points="1"]').waitFor({ timeout: 15_000 });
    await context.setGeolocation({ longitude: lon + 0.0004, latitude: lat + 0.0001, accuracy: 5 });
    await page.locator('[data-testid="patrol"]:not([data-meters="0"])').waitFor({ timeout: 15_000 });
    await patrol.locator('button', { hasText: '结束巡查' }).click();
    await page.locator('[data-testid="patrol"][data-state="ended"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="coverage-map"][data-track="2"] canvas').waitFor({ timeout: 20_000 });
    await screenshot(page, `visits-patrol-phone-${engine}.png`);

    // coverage: the building is visited now, on the map and in the grid's row
    await page.locator('nav.tabs button', { hasText: '覆盖' }).click();
    const map = page.locator('[data-testid="coverage-map"]');
    await map.locator('canvas').waitFor({ timeout: 20_000 });
    const after = await api('/api/visits/coverage');
    const visited = after.buildings.features.filter((f: { properties: { visits: number } }) => f.properties.visits > 0).length;
    expect(visited).toBe(before.grids[0].visitedBuildings + 1);
    await expect(map.getAttribute('data-visited')).resolves.toBe(String(visited));
    await expect(page.locator('tr[data-grid="MS-XSL-G01"] td').first().textContent()).resolves.toBe(`${visited} / ${after.grids[0].buildings}`);
    await screenshot(page, `visits-coverage-phone-${engine}.png`);
    await context.close();
  });
});
