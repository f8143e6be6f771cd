import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newContext, screenshot, embeddedTarget } from '../helpers/browser.ts';

// Requests by viewport on the map page (issue 12 §2): the page shows the count of its view and,
// when the markers stop at a limit, says so; a request filed elsewhere appears in the view
// without a reload. Each step waits for what the page shows (its status line's attributes).

type CountLine = { mode: string; open: number; closed: number; shown: number; limit: number; text: string };

const openStatuses = ['collected', 'claimed', 'deliberating', 'resolving'];

async function idle(page: Page) {
  await page.waitForFunction(() => {
    const map = (window as any).__gridMap;
    return !!map && map.loaded() && !map.isMoving();
  }, null, { timeout: 60_000 });
}

/** The status line once it answers for the map's current view (its zoom and centre). */
async function countLine(page: Page, check: string): Promise<CountLine> {
  await page.waitForFunction((expected) => document.querySelector('.view-count')?.getAttribute('data-mode') === expected, check, { timeout: 20_000 });
  return page.evaluate(() => {
    const line = document.querySelector('.view-count')!;
    const n = (name: string) => Number(line.getAttribute(`data-${name}`));
    return { mode: line.getAttribute('data-mode')!, open: n('open'), closed: n('closed'), shown: n('shown'), limit: n('limit'), text: line.textContent ?? '' };
  });
}

/** Moves the map and waits until the page has read the new view (its request answered). */
async function moveTo(page: Page, center: [number, number], zoom: number) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/map/requests') && r.url().includes(`zoom=${zoom.toFixed(2)}`), { timeout: 20_000 });
  await page.evaluate(([c, z]) => (window as any).__gridMap.jumpTo({ center: c, zoom: z }), [center, zoom] as const);
  await answered;
  await idle(page);
}

describe.each(embeddedTarget())('requests by viewport on the map page in Chromium on %s', (_engine, baseUrl) => {
  let browser: Browser;
  let center: [number, number];
  const fileAt = async (page: Page, description: string) => {
    const filed = await page.request.post(new URL('/api/requests', baseUrl).href, {
      data: { category: 'noise', description, lon: center[0], lat: center[1] },
    });
    expect(filed.status()).toBe(201);
    return (await filed.json()).ticket as string;
  };

  /** The map page at `path`, moved to the street's middle at `zoom`, its view read. */
  const openAt = async (path: string, zoom: number, options: Parameters<typeof newContext>[1] = { viewport: { width: 1280, height: 800 } }) => {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    await page.goto(new URL(path, baseUrl).href);
    await idle(page);
    await moveTo(page, center, zoom);
    return { context, page };
  };

  beforeAll(async () => {
    browser = await launchChromium();
    // the street's middle, where the demo's requests are (the tiles' own centre)
    const tiles = await (await fetch(new URL('/api/tiles.json', baseUrl))).json();
    center = [tiles.center[0], tiles.center[1]];
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('counts the view’s open requests and states that it shows only the newest of them', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(new URL('/?limit=3', baseUrl).href);
    await idle(page);
    for (const n of [1, 2, 3, 4]) await fileAt(page, `浏览器测试：视图计数第 ${n} 件`);
    await moveTo(page, center, 16.5);
    await countLine(page, 'markers');

    // the same box counted from the OGC collection (every public request there), open ones only;
    // other test files file on this server too: the page's count follows them live, so poll
    const bbox = await page.evaluate(() => (window as any).__gridMap.getBounds().toArray().flat().map((v: number) => v.toFixed(5)).join(','));
    const openInBox = async () => {
      const items = await (await page.request.get(new URL(`/api/collections/requests/items?limit=10000&bbox=${bbox}`, baseUrl).href)).json();
      return items.features.filter((f: any) => openStatuses.includes(f.properties.status)).length;
    };
    await expect.poll(async () => (await countLine(page, 'markers')).open - (await openInBox()), { timeout: 15_000 }).toBe(0);
    const line = await countLine(page, 'markers');
    expect(line.open).toBeGreaterThanOrEqual(4);
    expect(line.shown).toBe(3);
    expect(line.limit).toBe(3);
    expect(line.text).toContain(`显示最近 3 件，共 ${line.open + line.closed} 件；放大查看更多`);
    const drawn = await page.evaluate(() => new Set((window as any).__gridMap.querySourceFeatures('requests').map((f: any) => f.properties.id)).size);
    expect(drawn).toBe(3);
    await screenshot(page, 'viewport-limit-zh-CN.png');
    await context.close();
  });

  it('says the same limit in English', async () => {
    const { context, page } = await openAt('/?lang=en&limit=3', 16.5, { viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const line = await countLine(page, 'markers');
    expect(line.text).toContain(`Showing the newest 3 of ${line.open + line.closed}; zoom in to see more`);
    await screenshot(page, 'viewport-limit-en-phone.png');
    await context.close();
  });

  it('counts per area when zoomed out, and the counts add up to the view’s', async () => {
    const { context, page } = await openAt('/', 11);
    expect((await countLine(page, 'areas')).text).toContain('按街道汇总');
    const discs = () => page.evaluate(() => {
      const byId = new Map((window as any).__gridMap.querySourceFeatures('request-areas').map((f: any) => [f.properties.id, f.properties.open]));
      return [...byId.values()].reduce((n: number, v) => n + Number(v), 0);
    });
    // a filing elsewhere re-reads both: compare them once they agree on the same answer
    await expect.poll(async () => (await discs()) - (await countLine(page, 'areas')).open, { timeout: 15_000 }).toBe(0);
    expect(await discs()).toBeGreaterThan(0);
    await context.close();
  });

  it('shows a request filed elsewhere in the view within seconds, and counts it, without a reload', async () => {
    const { context, page } = await openAt('/', 16.5);
    const before = await countLine(page, 'markers');
    expect(before.shown).toBe(before.open + before.closed); // every request of the view is a marker
    await page.evaluate(() => ((window as any).__samePage = true));
    const ticket = await fileAt(page, '浏览器测试：实时出现在视图中');
    await page.waitForFunction((t) => (window as any).__gridMap.querySourceFeatures('requests').some((f: any) => f.properties.id === t), ticket, { timeout: 10_000 });
    await page.waitForFunction((n) => Number(document.querySelector('.view-count')?.getAttribute('data-open')) >= n, before.open + 1, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
    await context.close();
  });
});
