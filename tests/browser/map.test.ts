import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { gridColours } from '../../web/src/lib/ui/colours.ts';
import { countColors, launchChromium, newContext, PHONE, recordOutsideRequests, screenshot, embeddedTarget } from '../helpers/browser.ts';

// Opens the built web app in a real Chromium against a running server (its URL comes from the
// global setup) and checks what a person would see: grid polygons drawn, Chinese labels drawn,
// and nothing fetched from another host (government intranets are offline).

/** the app under test: the embedded default (tests/helpers/browser.ts embeddedTarget) */
let baseUrl: string | undefined;

type GridMapWindow = { __gridMap: import('maplibre-gl').Map };

async function waitForIdleMap(page: Page) {
  await page.waitForFunction(
    () => {
      const map = (window as unknown as Partial<GridMapWindow>).__gridMap;
      return !!map && map.loaded() && !map.isMoving() && map.areTilesLoaded();
    },
    null,
    { timeout: 60_000 },
  );
  // one more full render after tiles arrived, including the label fade-in
  await page.evaluate(() => new Promise<void>((resolve) => {
    const map = (window as unknown as GridMapWindow).__gridMap;
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }));
}

/** Leaves only the background and the given layers visible, then waits for the map to redraw. */
async function showOnly(page: Page, layerIds: string[], paint: Record<string, Record<string, unknown>> = {}) {
  // the header and panel have text of their own: keep them out of the pixel counts
  await page.addStyleTag({ content: 'header, aside, .opener, .maplibregl-control-container { visibility: hidden !important; }' });
  await page.evaluate(({ layerIds, paint }) => new Promise<void>((resolve) => {
    const map = (window as unknown as GridMapWindow).__gridMap;
    for (const layer of map.getStyle().layers) {
      if (layer.id === 'background') continue;
      map.setLayoutProperty(layer.id, 'visibility', layerIds.includes(layer.id) ? 'visible' : 'none');
    }
    for (const [id, properties] of Object.entries(paint)) {
      for (const [name, value] of Object.entries(properties)) map.setPaintProperty(id, name as never, value as never);
    }
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }), { layerIds, paint });
}

describe.each(embeddedTarget())('the grid map page in Chromium on %s', (_engine, target) => {
  beforeAll(() => {
    baseUrl = target;
  });

  let browser: Browser;
  let page: Page;
  let outsideRequests: string[] = [];
  const fontFiles: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    outsideRequests = recordOutsideRequests(page);
    page.on('response', (response) => {
      if (response.url().endsWith('.woff2') && response.ok()) fontFiles.push(response.url());
    });
    await page.goto(new URL('/', baseUrl!).href);
    await waitForIdleMap(page);
    await screenshot(page, 'map-zh-CN.png');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sends the built scripts as compressed once at build time (the same bytes), to be kept by the browser', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const script = html.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(script, 'the page names its script').toBeDefined();
    const res = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(`dist/web${script}`))).toBe(true);
  });

  it('answers a small JSON read as it is, with its length, and gzips a large one', async () => {
    const small = await fetch(`${baseUrl}/api/health`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    const text = await small.text();
    expect(small.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toMatchObject({ ok: true });
    const large = await fetch(`${baseUrl}/api/collections/grids/items?limit=100`, { headers: { 'accept-encoding': 'gzip' } });
    expect(large.headers.get('content-encoding')).toBe('gzip');
    expect((await large.json()).features.length).toBeGreaterThan(0);
  });

  it('loads nothing from outside the origin', () => {
    expect(outsideRequests).toEqual([]);
  });

  it('draws the grid polygons in several distinct colours', async () => {
    // grid fills alone and opaque, so their pixels carry exactly the palette colours
    await showOnly(page, ['grids-fill'], { 'grids-fill': { 'fill-opacity': 1 } });
    const png = await screenshot(page, 'map-grid-fills.png');
    const counts = await countColors(page, png, gridColours);
    const viewport = 1280 * 800;
    expect(counts.filter((n) => n > 1000).length, `pixels per grid colour: ${counts.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(viewport * 0.1);
  });

  it('draws Chinese labels from the font files the app serves', async () => {
    await showOnly(page, ['grids-label', 'communities-label'], {
      'grids-label': { 'text-color': '#000000', 'text-halo-width': 0 },
      'communities-label': { 'text-color': '#000000', 'text-halo-width': 0 },
    });
    const png = await screenshot(page, 'map-labels.png');
    const [ink] = await countColors(page, png, ['#000000'], 60);
    expect(ink, 'dark label pixels').toBeGreaterThan(300);
    // glyphs came from our Noto Sans SC slices, not from whatever fonts the machine has
    expect(fontFiles.some((url) => /noto-sans-sc-\d+-[47]00-normal/.test(url))).toBe(true);
    const loadedMapFaces = await page.evaluate(() =>
      [...document.fonts].filter((face) => face.family.startsWith('maplibre-gl-font-face') && face.status === 'loaded').length,
    );
    expect(loadedMapFaces).toBeGreaterThan(0);
    const labels = await page.evaluate(() =>
      (window as unknown as GridMapWindow).__gridMap
        .queryRenderedFeatures({ layers: ['grids-label', 'communities-label'] })
        .map((feature) => String(feature.properties.name)),
    );
    expect(labels.some((name) => /[\u4e00-\u9fff]/.test(name))).toBe(true);
  });

  it('switches the interface to English', async () => {
    const context = await newContext(browser, { viewport: PHONE, locale: 'en-US' });
    const english = await context.newPage();
    await english.goto(new URL('/?lang=en', baseUrl!).href);
    await waitForIdleMap(english);
    await screenshot(english, 'map-en-phone.png');
    await expect(english.locator('header h1').textContent()).resolves.toContain('Grid Map');
    await context.close();
  });

  it('shows a request filed elsewhere on the open map within seconds, without a reload', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const live = await context.newPage();
    await live.goto(new URL('/', baseUrl!).href);
    await waitForIdleMap(live);
    const [lon, lat] = await live.evaluate(() => (window as any).__gridMap.getCenter().toArray());
    const filed = await live.request.post(new URL('/api/requests', baseUrl!).href, {
      data: { category: 'noise', description: '浏览器测试：广场音响太吵', lon, lat },
    });
    expect(filed.status()).toBe(201);
    const { ticket } = await filed.json();
    const started = Date.now();
    await live.waitForFunction((t) => {
      const map = (window as any).__gridMap;
      return map.querySourceFeatures('requests').some((f: any) => f.properties.id === t);
    }, ticket, { timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await context.close();
  });
});
