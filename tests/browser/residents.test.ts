import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { launchChromium, newContext, screenshot, embeddedTarget } from '../helpers/browser.ts';
import { outsideRequestsSeen } from '../helpers/browser.ts';
import { lowContrastText } from '../helpers/contrast.ts';

// The residents' and riders' pages in a real Chromium at phone size, in Chinese, against the
// running server of the global setup: what a resident or a rider would read on the screen.

/** the app under test: the embedded default (tests/helpers/browser.ts embeddedTarget) */
let baseUrl: string | undefined;

type Guide = {
  compound: { id: string; name: string };
  bounds: [number, number, number, number];
  buildings: { id: string; number: string | null; entrances: { unit: number }[] }[];
};

const url = (path: string) => new URL(path, baseUrl!).href;

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url(path), init);
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A compound of the demo data with a 3号楼 that has a 2单元 (asked from the API, not assumed). */
async function compoundWithBuilding3Unit2(): Promise<Guide> {
  const buildings = await api<GeoJSON.FeatureCollection<GeoJSON.Geometry, { number: string | null; units: number | null; compoundId: string | null }>>(
    '/api/collections/buildings/items?limit=1000',
  );
  const candidates = buildings.features.filter((f) => f.properties.number === '3号楼' && (f.properties.units ?? 0) >= 2 && f.properties.compoundId);
  for (const candidate of candidates) {
    const guide = await api<Guide>(`/api/rider/${candidate.properties.compoundId}`);
    if (guide.buildings.some((b) => b.number === '3号楼' && b.entrances.some((e) => e.unit === 2))) return guide;
  }
  throw new Error('the demo data has no compound with 3号楼 2单元');
}

const middle = (b: [number, number, number, number]) => ({ longitude: (b[0] + b[2]) / 2, latitude: (b[1] + b[3]) / 2 });

describe.each(embeddedTarget())('the residents’ and riders’ pages in Chromium at 390×844 on %s', (_engine, target) => {
  beforeAll(() => {
    baseUrl = target;
  });

  let browser: Browser;
  let guide: Guide;
  const contexts: BrowserContext[] = [];

  /** A fresh phone (own storage, own service workers), in Chinese. */
  async function phone(options: BrowserContextOptions = {}) {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    guide = await compoundWithBuilding3Unit2();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('lists the services near the resident, nearest on foot first, with walking minutes', async () => {
    const here = middle(guide.bounds);
    const context = await phone({ geolocation: here, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(url('/resident?lang=zh-CN'));
    await page.getByRole('button', { name: '用我的位置' }).click();
    const cards = page.locator('ol.services > li');
    await cards.first().waitFor({ timeout: 30_000 });
    await page.locator('.nearby').scrollIntoViewIfNeeded();
    await screenshot(page.locator('.nearby'), 'resident-nearby.png');

    const texts = await cards.allInnerTexts();
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) expect(text).toMatch(/步行 \d+ 分钟/);
    const minutes = texts.map((t) => Number(/步行 (\d+) 分钟/.exec(t)![1]));
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    // the same first service the API names for this place
    const answer = await api<{ results: { name: string; walkMinutes: number }[] }>(
      `/api/nearby?lon=${here.longitude}&lat=${here.latitude}&limit=20`,
    );
    expect(texts[0]).toContain(answer.results[0].name);
    expect(texts[0]).toContain(`步行 ${answer.results[0].walkMinutes} 分钟`);
  });

  it('narrows the services to one category when its chip is tapped', async () => {
    const context = await phone({ geolocation: middle(guide.bounds), permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(url('/resident'));
    await page.getByRole('button', { name: '用我的位置' }).click();
    await page.locator('ol.services > li').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '医疗', exact: true }).click();
    await expect.poll(async () => {
      const texts = await page.locator('ol.services > li').allInnerTexts();
      return texts.length > 0 && texts.every((t) => /卫生服务站|药店/.test(t));
    }, { timeout: 15_000 }).toBe(true);
  });

  it('names the resident’s grid and its workers with phones to tap', async () => {
    const context = await phone({ geolocation: middle(guide.bounds), permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(url('/resident'));
    await page.getByRole('button', { name: '用我的位置' }).click();
    const grid = page.locator('.my-grid');
    await grid.locator('a[href^="tel:"]').first().waitFor({ timeout: 30_000 });
    await grid.scrollIntoViewIfNeeded();
    await screenshot(grid, 'resident-my-grid.png');
    const text = await grid.innerText();
    expect(text).toMatch(/网格/);
    expect(text).toMatch(/网格员|网格长/);
    const tel = await grid.locator('a[href^="tel:"]').first().getAttribute('href');
    expect(tel).toMatch(/^tel:\+?\d{5,}$/);
  });

  it('finds 3号楼2单元 in the rider guide and draws the walking path from a gate', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(`/rider/${guide.compound.id}`));
    await page.locator('[data-testid=compound-plan]').waitFor({ timeout: 30_000 });
    await page.getByRole('searchbox').fill('3号楼2单元');
    await page.getByRole('button', { name: '找', exact: true }).click();
    const result = page.getByTestId('rider-result');
    await result.waitFor({ timeout: 15_000 });
    await screenshot(page, 'rider-find-3-2.png');

    expect(await result.innerText()).toMatch(/^3号楼2单元：从.+进，步行约 \d+ 米$/);
    await expect(page.locator('path.building.lit').getAttribute('data-building')).resolves.toBe('3号楼');
    const route = await page.getByTestId('route').getAttribute('d');
    expect(route!.split('L').length, 'points on the drawn path').toBeGreaterThanOrEqual(2);
    await expect(page.locator('.entrance.chosen .unit-label').textContent()).resolves.toBe('2单元');
  });

  it('tells the rider which buildings exist when asked for one that does not', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(`/rider/${guide.compound.id}`));
    await page.locator('[data-testid=compound-plan]').waitFor({ timeout: 30_000 });
    await page.getByRole('searchbox').fill('99号楼');
    await page.getByRole('button', { name: '找', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).toMatch(/没有99号楼|没找到/);
    expect(await page.getByTestId('route').count()).toBe(0);
  });

  it('reloads the rider guide with no network and still shows the buildings', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(`/rider/${guide.compound.id}`));
    await page.locator('[data-testid=compound-plan]').waitFor({ timeout: 30_000 });
    // wait until the service worker controls the page and has kept the shell and the compound's answer
    await expect.poll(() => page.evaluate(async (id) => !!navigator.serviceWorker.controller
      && !!(await caches.match(`/api/rider/${id}`)) && !!(await caches.match(location.pathname)), guide.compound.id),
    { timeout: 30_000, interval: 250 }).toBe(true);

    // setOffline does not reach a service worker's own fetches in Chromium: refuse those as well,
    // so nothing at all can come from the server
    await context.route('**/*', (route) => route.abort('internetdisconnected'));
    await context.setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    await page.locator('[data-testid=compound-plan]').waitFor({ timeout: 15_000 });
    await screenshot(page, 'rider-offline.png');
    await expect(page.locator('path.building').count()).resolves.toBe(guide.buildings.length);
    const numbers = await page.locator('text.number').allTextContents();
    expect(numbers).toContain('3');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(guide.compound.name);
    await expect(page.getByRole('status').filter({ hasText: '离线' }).count()).resolves.toBe(1);
  });

  it('loads the rider guide cold in less than 600 KB transferred', async () => {
    const context = await phone();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
    await page.goto(url(`/rider/${guide.compound.id}`), { waitUntil: 'networkidle' });
    await page.locator('[data-testid=compound-plan]').waitFor();
    console.log(`rider guide cold load: ${(bytes / 1024).toFixed(0)} KB transferred`);
    expect(bytes).toBeGreaterThan(10_000); // it did load something: the measurement works
    expect(bytes).toBeLessThan(600 * 1024);
  });

  it('files a rider’s hazard with a photo in two taps', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(`/rider/${guide.compound.id}`));
    await page.locator('[data-testid=compound-plan]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '报告隐患' }).click(); // tap 1
    const chooser = page.waitForEvent('filechooser');
    await page.locator('label.hazard', { hasText: '飞线充电' }).click(); // tap 2: the camera opens
    await (await chooser).setFiles({ name: 'wire.png', mimeType: 'image/png', buffer: await page.screenshot() });
    const done = page.getByRole('status').filter({ hasText: '已上报' });
    await done.waitFor({ timeout: 30_000 });
    await screenshot(page, 'rider-hazard.png');
    const ticket = (await page.locator('[data-ticket]').innerText()).trim();
    // the rider's own view, with the report token the page kept (the public view has no words)
    const hazardToken = await page.evaluate((t) => localStorage.getItem(`gm-report-token:${t}`), ticket);
    const filed = await api<{ category: string; description: string }>(`/api/requests/${ticket}?token=${hazardToken}`);
    expect(filed.category).toBe('flying_wire_charging');
    expect(filed.description).toContain(guide.compound.name);
  });

  it('shows a report form error where the eye is: at the field, in view above the 提交 bar, the field focused', async () => {
    const here = middle(guide.bounds);
    const page = await (await phone()).newPage();
    await page.goto(url(`/report?lon=${here.longitude}&lat=${here.latitude}`));
    await page.locator('textarea').fill('楼道灯不亮');
    await page.getByRole('button', { name: '提交' }).click(); // no category chosen
    const message = page.locator('#field-category [role=alert]');
    await expect(message.textContent()).resolves.toBe('请选择问题类别');
    const box = (await message.boundingBox())!;
    const bar = (await page.locator('.bottom-bar').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(bar.y);
    expect(await page.evaluate(() => document.activeElement?.closest('#field-category') !== null)).toBe(true);
    await screenshot(page, 'report-error-category.png');
  });

  it('says at the map, in Chinese, that a pin outside the street cannot be filed', async () => {
    const page = await (await phone()).newPage();
    await page.goto(url('/report?lon=116.4&lat=39.9'));
    await page.getByRole('button', { name: '路灯故障' }).click();
    await page.locator('textarea').fill('路灯不亮');
    await page.getByRole('button', { name: '提交' }).click();
    const message = page.locator('#field-pin [role=alert]');
    await expect(message.textContent({ timeout: 15_000 })).resolves.toMatch(/不在民生街道范围内：民生街道在图钉西南方约 [0-9.]+ 公里/);
    const box = (await message.boundingBox())!;
    const bar = (await page.locator('.bottom-bar').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(bar.y);
    await screenshot(page, 'report-error-outside.png');
  });

  it('says at the map when the building of a QR code is unknown', async () => {
    const page = await (await phone()).newPage();
    await page.goto(url('/report?building=NO-SUCH-BUILDING'));
    await expect(page.locator('#field-pin [role=alert]').textContent({ timeout: 15_000 })).resolves.toContain('没有找到这个二维码上的楼栋');
  });

  it('files a report from the form and shows its ticket', async () => {
    const here = middle(guide.bounds);
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(`/report?lon=${here.longitude}&lat=${here.latitude}`));
    await page.getByRole('button', { name: '路灯故障' }).click();
    await page.locator('textarea').fill('楼下路灯晚上不亮，走路看不清');
    // the form says plainly what will be public before it is sent
    await expect(page.getByTestId('public-note').innerText()).resolves.toContain('约100米');
    await page.getByRole('button', { name: '提交' }).click();
    const ticket = page.getByTestId('ticket');
    await ticket.waitFor({ timeout: 30_000 });
    await screenshot(page, 'report-ticket.png');

    const number = (await ticket.innerText()).trim();
    expect(number).toMatch(/^GM\d{8}-\d+$/);
    const token = await page.evaluate((t) => localStorage.getItem(`gm-report-token:${t}`), number);
    expect(token).toBeTruthy();
    const filed = await api<{ ticket: string; description: string | null }>(`/api/requests/${number}?token=${token}`);
    expect(filed.description).toBe('楼下路灯晚上不亮，走路看不清');
    expect((await api<{ description: string | null }>(`/api/requests/${number}`)).description).toBeNull();
    // opened from a place the resident chose (not a QR code): recorded as the resident's own online filing
    const item = await api<{ properties: { channel: string } }>(`/api/collections/requests/items/${number}`);
    expect(item.properties.channel).toBe('web');
    await expect(page.getByRole('link', { name: '查看办理进度' }).getAttribute('href')).resolves.toBe(`/ticket/${number}`);
  });

  it('does not send a report without a place and says what is missing', async () => {
    const context = await phone();
    const page = await context.newPage();
    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await page.goto(url('/report'));
    await page.getByRole('button', { name: '路灯故障' }).click();
    await page.locator('textarea').fill('路灯坏了');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain('请在地图上点出问题的位置');
    expect(posts).toEqual([]);
  });

  // contrast is the pages' own styles, the same whichever database answers: measured once, on the embedded default
  it('shows every text of the residents\u2019 and riders\u2019 pages at AA contrast, in both languages', async () => {
    const here = middle(guide.bounds);
    const filed = await api<{ ticket: string }>('/api/requests', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street_light', description: '对比度测试', lon: here.longitude, lat: here.latitude }),
    });
    const pages = ['/resident', `/report?lon=${here.longitude}&lat=${here.latitude}`, `/rider/${guide.compound.id}`, '/circle', `/ticket/${filed.ticket}`, '/login'];
    for (const locale of ['zh-CN', 'en']) {
      const context = await phone({ locale });
      const page = await context.newPage();
      await page.goto(url('/resident'));
      await page.evaluate((l) => localStorage.setItem('gridmap.locale', l), locale);
      for (const path of pages) {
        await page.goto(url(path));
        // loaded when its words stop changing (lists and places arrive after the first frame)
        let last = '';
        await expect.poll(async () => {
          const now = await page.evaluate(() => document.body.innerText);
          const settled = now.length > 40 && now === last;
          last = now;
          return settled;
        }, { interval: 300, timeout: 15_000 }).toBe(true);
        expect(await lowContrastText(page), `${path} in ${locale}`).toEqual([]);
      }
    }
  });

  it('loaded nothing from outside this machine in any of the pages above', () => {
    // a government intranet is offline: every script, tile, font and icon comes from the app
    expect(outsideRequestsSeen).toEqual([]);
  });
});
