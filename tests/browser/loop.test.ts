import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon, MultiPolygon } from 'geojson';
import { timeLeftColours } from '../../web/src/lib/ui/colours.ts';
import { publicPrecisionDegrees } from '../../api/loop/public-point.ts';
import { countColors, DESKTOP, launchChromium, newContext, screenshot } from '../helpers/browser.ts';
import { outsideRequestsSeen } from '../helpers/browser.ts';

// The request loop in a real Chromium against a running server: a request filed on one page
// reaches the wall screen on another; a grid worker signs in on a phone, claims and resolves;
// the resident's ticket page shows the six steps. Screenshots go to test-results/.

/** the app under test: each describe block below runs once per engine (global setup: browserTargets) */
let baseUrl: string | undefined;
const KIOSK = 'demo-wall-xsl';
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';

type WallWindow = {
  __wall: {
    map: import('maplibre-gl').Map;
    markerCount: () => number;
    tickets: () => string[];
    renderedMarkers: () => string[];
  };
};

const url = (path: string) => new URL(path, baseUrl!).href;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url(path), {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

/** A staff cookie for API calls made beside the browser (another worker racing for a claim). */
async function signInCookie(username: string): Promise<string> {
  const { status, headers } = await api('/api/session', { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) });
  expect(status).toBe(200);
  return headers.get('set-cookie')!.split(';')[0];
}

/** The demo accounts of one role, as the API lists them (only when the demo data is loaded). */
async function demoAccounts(role: string): Promise<{ username: string; areaName: string }[]> {
  const { body } = await api<{ accounts: { username: string; role: string; areaName: string }[] }>('/api/session/demo-accounts');
  return body.accounts.filter((a) => a.role === role);
}

/** A point surely inside a grid (not its bbox centre: grids are not all convex). */
async function pointInGrid(gridId: string): Promise<[number, number]> {
  const { body } = await api<Feature<Polygon | MultiPolygon>>(`/api/collections/grids/items/${gridId}`);
  return pointOnFeature(body).geometry.coordinates as [number, number];
}

async function fileRequest(gridId: string, category: string, description: string) {
  const [lon, lat] = await pointInGrid(gridId);
  const { status, body } = await api<{ ticket: string; reportToken: string; grid: { id: string } }>('/api/requests', {
    method: 'POST',
    body: JSON.stringify({ category, description, lon, lat, contact: '139-0000-0000' }),
  });
  expect(status).toBe(201);
  return { ...body, lon, lat };
}

/**
 * A point inside a micro-grid of the given grid: its first vertex averaged with its centroid (a
 * point on the feature if that falls outside a concave one), so the request lands in that grid.
 */
async function pointInMicrogridOf(gridId: string): Promise<[number, number]> {
  const { status, body } = await api<FeatureCollection<Polygon | MultiPolygon, { parentId: string }>>('/api/collections/microgrids/items?limit=1000');
  expect(status).toBe(200);
  const microgrid = body.features.find((f) => f.properties.parentId === gridId);
  expect(microgrid, `a micro-grid in ${gridId}`).toBeTruthy();
  const geometry = microgrid!.geometry;
  const [x0, y0] = geometry.type === 'Polygon' ? geometry.coordinates[0][0] : geometry.coordinates[0][0][0];
  const [cx, cy] = centroid(microgrid!).geometry.coordinates;
  const mid: [number, number] = [(x0 + cx) / 2, (y0 + cy) / 2];
  return booleanPointInPolygon(mid, microgrid!) ? mid : (pointOnFeature(microgrid!).geometry.coordinates as [number, number]);
}

/** Who is behind a demo account: their staff id. */
async function staffIdOf(username: string): Promise<string> {
  const cookie = await signInCookie(username);
  const { body } = await api<{ user: { staffId: string } }>('/api/session', { headers: { cookie } });
  return body.user.staffId;
}

async function signInOnPhone(browser: Browser, username: string): Promise<Page> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(url('/login'));
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL('**/worker', { timeout: 15_000 });
  return page;
}

describe.each(inject('browserTargets'))('the request loop pages in Chromium on %s', (engine, target) => {
  // what a page says without writing (wording, which controls show) is the same on either engine:
  // checked on the embedded default; the flows that write run on both
  const wordingOnly = it.runIf(engine === 'pglite');
  beforeAll(() => {
    baseUrl = target;
  });

  let browser: Browser;
  let worker: { username: string; gridId: string };

  beforeAll(async () => {
    browser = await launchChromium();
    // a grid worker of 学生路社区 (the demo kiosk's community), and their grid
    const workers = await demoAccounts('grid_worker');
    expect(workers.length).toBeGreaterThan(0);
    const username = workers.find((w) => w.areaName.includes('学生路'))?.username ?? workers[0].username;
    const cookie = await signInCookie(username);
    const { body } = await api<{ user: { areaId: string } }>('/api/session', { headers: { cookie } });
    worker = { username, gridId: body.user.areaId };
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a request filed on another page as a marker on the wall within a few seconds', async () => {
    // reduced motion: no arrival rings (WallMap.svelte), so the dot stands alone as soon as it is drawn
    const context = await newContext(browser, { viewport: DESKTOP, reducedMotion: 'reduce' });
    const wall = await context.newPage();
    const problems: string[] = [];
    wall.on('pageerror', (error) => problems.push(error.message));
    wall.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await wall.goto(url(`/wall?kiosk=${KIOSK}&tour=0`));
    // the map has drawn and the live stream is open
    await wall.waitForFunction(() => {
      const w = (window as unknown as Partial<WallWindow>).__wall;
      return !!w && w.map.loaded() && w.map.areTilesLoaded();
    }, null, { timeout: 60_000 }).catch((error) => { throw new Error(`wall map not ready: ${problems.join(' | ')}`, { cause: error }); });
    await wall.locator('.live:not(.off)').waitFor({ timeout: 15_000 });
    const before = await wall.evaluate(() => (window as unknown as WallWindow).__wall.markerCount());

    // the resident files from their own phone: another browser context, no shared state with the wall
    const resident = await newContext(browser);
    const residentPage = await resident.newPage();
    await residentPage.goto(url('/'));
    const [lon, lat] = await pointInGrid(worker.gridId);
    const filed = await residentPage.evaluate(async ({ lon, lat }) => {
      const response = await fetch('/api/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'flying_wire_charging', description: '楼道窗口有飞线给电动车充电', lon, lat }),
      });
      return { ...(await response.json()), httpStatus: response.status } as { httpStatus: number; ticket: string };
    }, { lon, lat });
    expect(filed.httpStatus).toBe(201);

    const t0 = Date.now();
    await wall.waitForFunction((ticket) => (window as unknown as WallWindow).__wall.tickets().includes(ticket), filed.ticket, { timeout: 5_000 });
    const arrivalMs = Date.now() - t0;
    expect(arrivalMs).toBeLessThan(5_000);
    // once, as one more marker (other test files may file on this server meanwhile: at least one more)
    const tickets = await wall.evaluate(() => (window as unknown as WallWindow).__wall.tickets());
    expect(tickets.filter((t) => t === filed.ticket)).toHaveLength(1);
    expect(await wall.evaluate(() => (window as unknown as WallWindow).__wall.markerCount())).toBeGreaterThanOrEqual(before + 1);

    // drawn, not only counted: MapLibre renders it, and its colour is on the screenshot where it stands
    await wall.waitForFunction((ticket) => (window as unknown as WallWindow).__wall.renderedMarkers().includes(ticket), filed.ticket, { timeout: 5_000 });
    // the kiosk is public: the marker stands on the public 0.001° grid, not at the exact point
    const shown = [Math.round(lon / publicPrecisionDegrees) * publicPrecisionDegrees, Math.round(lat / publicPrecisionDegrees) * publicPrecisionDegrees];
    const at = await wall.evaluate(([lon, lat]) => (window as unknown as WallWindow).__wall.map.project([lon, lat]), shown);
    await screenshot(wall, 'loop-wall.png');
    const clip = { x: Math.max(0, at.x - 14), y: Math.max(0, at.y - 14), width: 28, height: 28 };
    const png = await wall.screenshot({ clip });
    // a fire hazard must be claimed within 30 min: the marker shows "under an hour left"
    const [markerPixels] = await countColors(wall, png, [timeLeftColours.urgent], 30);
    expect(markerPixels, `marker pixels at ${Math.round(at.x)},${Math.round(at.y)}`).toBeGreaterThan(40);
    await resident.close();
    await context.close();
  }, 120_000);

  wordingOnly('says in Chinese that the password is wrong', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url('/login'));
    await page.fill('input[name=username]', worker.username);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await expect(page.locator('.error').textContent({ timeout: 10_000 })).resolves.toContain('用户名或密码不正确');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'loop-login-error.png');
    await context.close();
  });

  it('lets a grid worker on a phone claim a request in one tap and resolve it with an outcome', async () => {
    const filed = await fileRequest(worker.gridId, 'street_light', '小区门口路灯不亮，晚上很黑');
    const page = await signInOnPhone(browser, worker.username);
    await page.click('button.refresh');
    const card = page.locator(`[data-ticket="${filed.ticket}"]`);
    await card.waitFor({ timeout: 10_000 });
    await screenshot(page, 'loop-worker-queue.png');

    await card.locator('button.claim').click();
    await card.locator('.won').waitFor({ timeout: 10_000 });
    await card.locator('button.open').click();
    await page.locator('.detail h2').waitFor();
    await expect(page.locator('.detail .call').getAttribute('href')).resolves.toBe('tel:13900000000');
    await page.getByRole('button', { name: '开始解事' }).click();
    await page.locator('.detail [data-status="resolving"]').waitFor({ timeout: 10_000 });
    await page.locator('.actions').getByRole('button', { name: '办结反馈' }).click();
    // without the outcome: said in the panel, at the field, with the cursor in it
    await page.getByRole('button', { name: '确认办结' }).click();
    await expect(page.locator('.panel [role=alert]').textContent()).resolves.toBe('请填写办理结果');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('outcome');
    await page.fill('textarea[name=outcome]', '已更换灯泡，当晚恢复照明');
    await page.getByRole('button', { name: '确认办结' }).click();
    await page.locator('.detail [data-status="resolved"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'loop-worker-resolved.png', { fullPage: true });

    const { body } = await api<{ status: string; outcome: string }>(`/api/requests/${filed.ticket}`);
    expect(body).toMatchObject({ status: 'resolved', outcome: '已更换灯泡，当晚恢复照明' });
    await page.context().close();
  });

  it('tells the worker "已被他人认领" when another worker claimed the request first', async () => {
    const filed = await fileRequest(worker.gridId, 'clutter', '3号楼楼道堆满纸箱');
    const page = await signInOnPhone(browser, worker.username);
    await page.click('button.refresh');
    const card = page.locator(`[data-ticket="${filed.ticket}"]`);
    await card.locator('button.claim').waitFor({ timeout: 10_000 });

    // someone else in the same grid is quicker (the grid leader, or a colleague)
    const others = [...(await demoAccounts('grid_worker')), ...(await demoAccounts('grid_leader'))].filter((a) => a.username !== worker.username);
    let won = false;
    for (const other of others) {
      const cookie = await signInCookie(other.username);
      const claim = await api(`/api/staff/requests/${filed.ticket}/claim`, { method: 'POST', headers: { cookie } });
      if (claim.status === 200) {
        won = true;
        break;
      }
    }
    expect(won, 'another staff member of the grid claimed it').toBe(true);

    await card.locator('button.claim').click();
    await expect(card.locator('.lost').textContent({ timeout: 10_000 })).resolves.toContain('已被他人认领');
    await screenshot(page, 'loop-worker-lost-claim.png');
    await page.context().close();
  });

  it('shows the resident the six steps with the current one marked and lets the reporter rate', async () => {
    const filed = await fileRequest(worker.gridId, 'noise', '夜间广场舞音响太吵');
    const cookie = await signInCookie(worker.username);
    for (const [path, body] of [['/claim', undefined], ['/status', { to: 'resolving' }], ['/status', { to: 'resolved', outcome: '已与广场舞队协商，晚九点后停止' }]] as const) {
      const moved = await api(`/api/staff/requests/${filed.ticket}${path}`, { method: 'POST', headers: { cookie }, body: body && JSON.stringify(body) });
      expect(moved.status, path).toBe(200);
    }

    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url(`/ticket/${filed.ticket}`));
    await page.locator('.steps li').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.steps li strong').allTextContents()).toEqual(['网格问事', '商议说事', '具体解事', '反馈息事', '回访宁事', '归档完事']);
    await expect(page.locator('.steps li[aria-current="step"]').getAttribute('data-step')).resolves.toBe('resolved');
    // without the reporter's token this phone may not rate
    await expect(page.locator('.rate .hint').textContent()).resolves.toContain('反映人');
    await screenshot(page, 'loop-ticket-public.png', { fullPage: true });

    // the reporter's phone: the report page kept the token
    await page.evaluate(([key, token]) => localStorage.setItem(key, token), [`gm-report-token:${filed.ticket}`, filed.reportToken]);
    await page.reload();
    await page.locator('.stars button').nth(4).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect(page.locator('.rated').textContent({ timeout: 10_000 })).resolves.toContain('5');
    await page.locator('.steps li[data-step="revisited"][aria-current="step"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'loop-ticket-rated.png', { fullPage: true });
    await context.close();
  });

  it('lets the grid leader dispatch a new request of the grid to a worker from the phone, and the APIs agree', async () => {
    const GRID = 'MS-XSL-G01';
    const [lon, lat] = await pointInMicrogridOf(GRID);
    const filed = await api<{ ticket: string; grid: { id: string } }>('/api/requests', {
      method: 'POST',
      body: JSON.stringify({ category: 'clutter', description: '5号楼单元门口堆放旧家具', lon, lat, contact: '139-0000-0001' }),
    });
    expect(filed.status).toBe(201);
    expect(filed.body.grid.id).toBe(GRID);
    const ticket = filed.body.ticket;
    const zhou = await staffIdOf('xsl-g01-zhou');

    const page = await signInOnPhone(browser, 'xsl-g01-wu');
    await expect(page.locator('.tabs button').first().textContent()).resolves.toBe('本网格全部');
    await page.click('button.refresh');
    const card = page.locator(`[data-ticket="${ticket}"]`);
    await card.waitFor({ timeout: 10_000 });
    await card.locator('button.open').click();
    await page.locator('.detail [data-status="collected"]').waitFor({ timeout: 10_000 });

    await page.locator('button.dispatch-toggle').click();
    const person = page.locator(`.dispatch [data-assignee="${zhou}"]`);
    await person.waitFor({ timeout: 10_000 });
    // each person shows their role in Chinese and how many requests they already hold
    await expect(person.textContent()).resolves.toMatch(/网格员[\s\S]*在办 \d+ 件/);
    await expect(page.locator('.dispatch button.confirm').isDisabled()).resolves.toBe(true);
    await person.click();
    await page.fill('textarea[name=dispatchNote]', '请今天下午上门核实');
    await page.locator('.dispatch button.confirm').scrollIntoViewIfNeeded();
    await screenshot(page, 'loop-dispatch-panel.png');
    await screenshot(page.locator('.dispatch'), 'loop-dispatch-panel-whole.png');
    await page.locator('.dispatch button.confirm').click();

    await page.locator('.detail [data-status="claimed"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('.detail .message.ok').textContent()).resolves.toContain('已派给');
    const dispatched = page.locator('.timeline li', { hasText: '派单' });
    await expect(dispatched.textContent()).resolves.toContain('请今天下午上门核实');
    await expect(page.locator('button.dispatch-toggle').textContent()).resolves.toBe('改派');
    await screenshot(page, 'loop-dispatch-done.png');
    // reassigning at a desk: the current assignee is marked and cannot be chosen again
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('button.dispatch-toggle').click();
    await page.locator(`.dispatch [data-assignee="${zhou}"].current`).waitFor({ timeout: 10_000 });
    await expect(page.locator(`.dispatch [data-assignee="${zhou}"] input`).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'loop-dispatch-reassign-1280.png');

    const shown = await api<{ status: string }>(`/api/requests/${ticket}`);
    expect(shown.body.status).toBe('claimed');
    const cookie = await signInCookie('xsl-g01-zhou');
    const staffView = await api<{ status: string; assignee: { id: string } | null; events: { action: string; note: string | null }[] }>(
      `/api/staff/requests/${ticket}`, { headers: { cookie } });
    expect(staffView.status).toBe(200);
    expect(staffView.body).toMatchObject({ status: 'claimed', assignee: { id: zhou } });
    expect(staffView.body.events.filter((e) => e.action === 'dispatched')).toHaveLength(1);
    const mine = await api<{ requests: { ticket: string }[] }>('/api/staff/requests?scope=mine', { headers: { cookie } });
    expect(mine.body.requests.map((r) => r.ticket)).toContain(ticket);
    await page.context().close();
  });

  it('tells the grid leader in Chinese that a request closed meanwhile can no longer be dispatched', async () => {
    const [lon, lat] = await pointInMicrogridOf('MS-XSL-G01');
    const filed = await api<{ ticket: string }>('/api/requests', {
      method: 'POST',
      body: JSON.stringify({ category: 'clutter', description: '车棚门口堆放杂物', lon, lat }),
    });
    expect(filed.status).toBe(201);
    const page = await signInOnPhone(browser, 'xsl-g01-wu');
    await page.goto(url(`/worker?ticket=${filed.body.ticket}`));
    await page.locator('button.dispatch-toggle').click();
    await page.locator('.dispatch [data-assignee]:not(.current)').first().click();
    // meanwhile someone else rejects it
    const cookie = await signInCookie('xsl-g01-zhao');
    const rejected = await api(`/api/staff/requests/${filed.body.ticket}/status`, {
      method: 'POST', headers: { cookie }, body: JSON.stringify({ to: 'rejected', note: '非本网格事项' }),
    });
    expect(rejected.status).toBe(200);
    await page.locator('.dispatch button.confirm').click();
    await expect(page.locator('.detail .message.error').textContent({ timeout: 10_000 })).resolves.toContain('不能派单');
    await page.locator('.detail [data-status="rejected"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'loop-dispatch-409.png');
    await page.context().close();
  });

  wordingOnly('does not show the dispatch control to a grid worker', async () => {
    const [lon, lat] = await pointInMicrogridOf('MS-XSL-G01');
    const filed = await api<{ ticket: string }>('/api/requests', {
      method: 'POST',
      body: JSON.stringify({ category: 'clutter', description: '楼道里放着一辆旧自行车', lon, lat }),
    });
    expect(filed.status).toBe(201);
    const page = await signInOnPhone(browser, 'xsl-g01-zhao');
    await page.goto(url(`/worker?ticket=${filed.body.ticket}`));
    // the detail has drawn its actions (claim, escalate) but no dispatch
    await page.locator('.detail .actions button.primary').waitFor({ timeout: 10_000 });
    expect(await page.locator('.detail .actions button').allTextContents()).toEqual(['秒认领', '上报']);
    expect(await page.locator('button.dispatch-toggle, .dispatch').count()).toBe(0);
    await page.context().close();
  });

  wordingOnly('names the area tab after the community for a secretary and after the street for the administrator', async () => {
    for (const [username, label] of [['xsl-shuji', '本社区全部'], ['admin', '全街道']] as const) {
      const page = await signInOnPhone(browser, username);
      await expect(page.locator('.tabs button').first().textContent()).resolves.toBe(label);
      if (username === 'xsl-shuji') await screenshot(page, 'loop-secretary-queue.png');
      await page.context().close();
    }
  });

  it('loaded nothing from outside this machine in any of the pages above', () => {
    // a government intranet is offline: every script, tile, font and icon comes from the app
    expect(outsideRequestsSeen).toEqual([]);
  });
});
