import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
import { loadCountyDemo } from '../../api/demo/county.ts';
import { removeDemo } from '../../api/demo/mode.ts';
import { TileIndex } from '../../api/tiles/tile-index.ts';
import { STREET_SCREEN_GRID_MINZOOM } from '../../web/src/lib/ui/map/layers-wall.ts';
import { areaLabels } from '../../web/src/lib/ui/map/layers-areas.ts';
import { openTestDatabase } from '../helpers/databases.ts';
import { DESKTOP, PHONE, launchChromium, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// The county demo in the browser (issue 12): one street of 荔原县 with its district, served by the
// same app and web build, on the embedded default. The county administrator's screen counts per
// street; it drills down street → grid and back up; a request filed in a grid reaches the grid's
// screen as a marker and the county's as one more open request of its street.

type WallWindow = { __wall: { tickets(): string[]; map: { getLayer(id: string): { minzoom: number } | undefined } } };

describe('the county screen and its drill-down, embedded', () => {
  let database: Database;
  let server: ServerType;
  let base = '';
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await removeDemo(database);
    await loadCountyDemo(database, { streets: 1, requests: 1000 });
    const app = createApp({ database, tiles: await TileIndex.build(database) });
    // the API and the web build (made by the global setup's servers), as api/server.ts serves them
    const web = new Hono();
    web.all('/:prefix{api|open311}/*', (c) => app.fetch(c.req.raw, c.env));
    web.use('*', serveStatic({ root: 'dist/web' }));
    web.get('*', (c) => c.html(readFileSync('dist/web/index.html', 'utf8')));
    server = serve({ fetch: web.fetch, port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const context = await signedInContext(browser, base, await staffCookie(base, 'county-admin'), { viewport: DESKTOP });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await database?.close();
  });

  const openCount = async (unit: string) => Number(await page.locator(`tr[data-unit="${unit}"] td.num`).first().textContent());

  it("shows the county's streets with their open requests, then drills down to a grid and files there", async () => {
    const started = Date.now();
    await page.goto(`${base}/wall?tour=0`);
    const street = page.locator('tr[data-unit="LY-S01"]');
    await street.waitFor({ timeout: 60_000 });
    console.log(`county screen: its street listed after ${Date.now() - started} ms`);
    await expect(page.locator('.grids h2').textContent()).resolves.toContain('各街道');
    const [open] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests
      WHERE street_id = 'LY-S01' AND status IN ('collected', 'claimed', 'deliberating', 'resolving')`);
    expect(await openCount('LY-S01')).toBe(open.n);
    // a screen of streets draws its grids' outlines only from zoom 12 (layers-wall.ts): at a whole
    // county's zoom they are a mesh a few pixels apart, the dearest part of a software-drawn frame
    await page.waitForFunction(() => !!(window as unknown as Partial<WallWindow>).__wall, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as WallWindow).__wall.map.getLayer('grids-line')?.minzoom)).toBe(STREET_SCREEN_GRID_MINZOOM);
    await screenshot(page, 'county-wall.png');

    // down to the street: its grids, and the way back up to the county
    await street.locator('a').click();
    await page.waitForURL(/area=LY-S01/);
    await page.locator('a[data-up="LY"]').waitFor();
    await expect(page.locator('.grids h2').textContent()).resolves.toContain('各网格');
    const grid = await page.locator('tr[data-unit]').first().getAttribute('data-unit');
    expect(grid).toMatch(/^LY-S01-/);

    // down to the grid; a resident files there and the grid's screen shows it
    await page.locator(`tr[data-unit="${grid}"] a`).click();
    await page.waitForURL(new RegExp(`area=${grid}`));
    // the grid's map has loaded (the wall's test hook comes with it) and its live stream is open;
    // on a loaded 2-core machine the map's first frame can take several seconds (docs/scaling.md)
    await page.waitForFunction(() => !!(window as unknown as Partial<WallWindow>).__wall, null, { timeout: 60_000 });
    await page.locator('.live:not(.off)').waitFor({ timeout: 15_000 });
    // a screen of grids outlines them at every zoom
    expect(await page.evaluate(() => (window as unknown as WallWindow).__wall.map.getLayer('grids-line')?.minzoom)).toBe(0);
    const [at] = await database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE parent_id = ${grid} AND level = 'microgrid' ORDER BY id LIMIT 1) x`);
    const res = await fetch(`${base}/api/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street_light', description: '村口路灯不亮（测试）', lon: Number(at.lon), lat: Number(at.lat) }),
    });
    expect(res.status).toBe(201);
    const { ticket } = await res.json() as { ticket: string };
    await page.waitForFunction((t) => (window as unknown as WallWindow).__wall.tickets().includes(t), ticket, { timeout: 15_000 });

    // back up to the county: one more open request on its street
    await page.goto(`${base}/wall?tour=0&area=LY`);
    await street.waitFor();
    expect(await openCount('LY-S01')).toBe(open.n + 1);
  });

  it("gives the county screen on a phone's width the map page's discs and names, not the wall's", async () => {
    const sizes = async (viewport: { width: number; height: number }) => {
      const context = await signedInContext(browser, base, await staffCookie(base, 'county-admin'), { viewport });
      const phone = await context.newPage();
      await phone.goto(`${base}/wall?tour=0`);
      await phone.waitForFunction(() => !!(window as unknown as Partial<WallWindow>).__wall, null, { timeout: 60_000 });
      const read = await phone.evaluate(() => {
        const map = (window as unknown as { __wall: { map: import('maplibre-gl').Map } }).__wall.map;
        return { below: map.getPaintProperty('request-areas', 'circle-translate'), street: map.getLayoutProperty('streets-label', 'text-size') };
      });
      if (viewport === PHONE) await screenshot(phone, 'county-wall-phone.png');
      await context.close();
      return read;
    };
    expect(await sizes(PHONE)).toEqual({ below: [0, 26], street: areaLabels.map.street });
    expect(await sizes(DESKTOP)).toEqual({ below: [0, 26 * 1.8], street: areaLabels.wall.street });
  });
});
