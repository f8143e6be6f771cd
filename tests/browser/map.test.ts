import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gridColors } from '../../web/src/lib/map/theme.ts';

// Opens the built web app in a real Chromium against a running server (its URL comes from the
// global setup) and checks what a person would see: grid polygons drawn, Chinese labels drawn,
// and nothing fetched from another host (government intranets are offline).

const baseUrl = inject('baseUrl');
const OUT = 'test-results';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

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

/** Counts screenshot pixels near each of the given colours (decoded by the page itself: no PNG library). */
async function countColors(page: Page, png: Buffer, colors: readonly string[], tolerance = 6): Promise<number[]> {
  return page.evaluate(async ({ base64, colors, tolerance }) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    const rgb = colors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const counts = colors.map(() => 0);
    for (let p = 0; p < data.length; p += 4) {
      rgb.forEach(([r, g, b], i) => {
        if (Math.abs(data[p] - r) <= tolerance && Math.abs(data[p + 1] - g) <= tolerance && Math.abs(data[p + 2] - b) <= tolerance) counts[i]++;
      });
    }
    return counts;
  }, { base64: png.toString('base64'), colors: [...colors], tolerance });
}

describe.skipIf(!baseUrl)('the grid map page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const outsideRequests: string[] = [];
  const fontFiles: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) outsideRequests.push(request.url());
    });
    page.on('response', (response) => {
      if (response.url().endsWith('.woff2') && response.ok()) fontFiles.push(response.url());
    });
    await page.goto(new URL('/', baseUrl!).href);
    await waitForIdleMap(page);
    writeFileSync(`${OUT}/map-zh-CN.png`, await page.screenshot());
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads nothing from outside the origin', () => {
    expect(outsideRequests).toEqual([]);
  });

  it('draws the grid polygons in several distinct colours', async () => {
    // grid fills alone and opaque, so their pixels carry exactly the palette colours
    await showOnly(page, ['grids-fill'], { 'grids-fill': { 'fill-opacity': 1 } });
    const png = await page.screenshot();
    writeFileSync(`${OUT}/map-grid-fills.png`, png);
    const counts = await countColors(page, png, gridColors);
    const viewport = 1280 * 800;
    expect(counts.filter((n) => n > 1000).length, `pixels per grid colour: ${counts.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(viewport * 0.1);
  });

  it('draws Chinese labels from the font files the app serves', async () => {
    await showOnly(page, ['grids-label', 'communities-label'], {
      'grids-label': { 'text-color': '#000000', 'text-halo-width': 0 },
      'communities-label': { 'text-color': '#000000', 'text-halo-width': 0 },
    });
    const png = await page.screenshot();
    writeFileSync(`${OUT}/map-labels.png`, png);
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
    const english = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await english.goto(new URL('/?lang=en', baseUrl!).href);
    await waitForIdleMap(english);
    writeFileSync(`${OUT}/map-en-phone.png`, await english.screenshot());
    await expect(english.locator('header h1').textContent()).resolves.toContain('Grid Map');
    await english.close();
  });
});
