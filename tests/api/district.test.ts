import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FeatureCollection } from 'geojson';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { importAreas } from '../../api/import/areas.ts';
import { createAccount } from '../../api/auth/admin.ts';

// A district (区/县) above the demo street: imported like any level, its streets tile it, and a
// request's district is its street's parent — kept so by the database for every writer, and when
// an import moves a street. A street administrator whose area is the district works the district.

describe.each(modes())('a district above the streets on %s', (mode) => {
  let t: TestApp;
  let districtAdmin = '';
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const street = async () => (await t.database.rows<{ g: string; name: string }>(sql`SELECT ST_AsGeoJSON(geom) AS g, name FROM areas WHERE id = 'MS'`))[0];
  const districtOf = async () => (await t.database.rows<{ district: string | null; n: number }>(sql`
    SELECT district_id AS district, count(*)::int AS n FROM requests WHERE street_id = 'MS' GROUP BY 1`));
  const file = (features: { id: string; level: string; name: string; parentId?: string; geometry: string }[]): FeatureCollection => ({
    type: 'FeatureCollection',
    features: features.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry: JSON.parse(geometry) })),
  });

  it('refuses a district with a parent and a street whose parent is not a district, writing nothing', async () => {
    const ms = await street();
    const report = await importAreas(t.database, file([
      { id: 'T-D', level: 'district', name: '测试区', parentId: 'MS', geometry: ms.g },
      { id: 'MS', level: 'street', name: ms.name, parentId: 'MS-XSL', geometry: ms.g },
    ]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(/T-D is a district, the top level/);
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(/MS is a street, so its parent must be a district/);
    expect(await t.database.rows(sql`SELECT id FROM areas WHERE id = 'T-D'`)).toEqual([]);
  });

  it('imports a district holding the street; every request of the street takes the district', async () => {
    const before = await districtOf();
    expect(before).toEqual([{ district: null, n: expect.any(Number) }]);
    const ms = await street();
    const report = await importAreas(t.database, file([
      { id: 'T-D', level: 'district', name: '测试区', geometry: ms.g },
      { id: 'MS', level: 'street', name: ms.name, parentId: 'T-D', geometry: ms.g },
    ]), { crs: 'wgs84' });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await districtOf()).toEqual([{ district: 'T-D', n: before[0].n }]);
    const listed = await (await t.get('/api/collections/districts/items')).json() as FeatureCollection;
    expect(listed.features.map((f) => f.properties)).toEqual([expect.objectContaining({ id: 'T-D', level: 'district', name: '测试区', parentId: null })]);
  });

  it("gives a new filing its district; the district's administrator sees it in the queue, another district's does not", async () => {
    const filed = await fileIn(t, 'MS-XSL-G01');
    const [row] = await t.database.rows<{ district: string }>(sql`SELECT district_id AS district FROM requests WHERE ticket = ${filed.ticket}`);
    expect(row.district).toBe('T-D');

    const made = await createAccount(t.database, { username: 'qu-admin', role: 'street_admin', areaId: 'T-D', name: '区管理员', phone: null, phonePublic: false, actor: 'test' });
    districtAdmin = await signIn(t, made.username, made.password);
    const queue = await (await call(t, 'GET', '/api/staff/requests?status=open', { cookie: districtAdmin })).json() as { requests: { ticket: string; districtId: string | null }[] };
    expect(queue.requests.map((r) => r.ticket)).toContain(filed.ticket);
    expect(queue.requests.every((r) => r.districtId === 'T-D')).toBe(true);

    // another district's administrator sees none of it
    await importAreas(t.database, file([{ id: 'T-E', level: 'district', name: '别的区', geometry: JSON.stringify({ type: "Polygon", coordinates: [[[100, 30], [100.01, 30], [100.01, 30.01], [100, 30]]] }) }]), { crs: 'wgs84' });
    const other = await createAccount(t.database, { username: 'qu-other', role: 'street_admin', areaId: 'T-E', name: '别区', phone: null, phonePublic: false, actor: 'test' });
    const otherCookie = await signIn(t, other.username, other.password);
    const none = await (await call(t, 'GET', '/api/staff/requests?status=open', { cookie: otherCookie })).json() as { requests: unknown[] };
    expect(none.requests).toEqual([]);
    expect((await call(t, 'GET', `/api/staff/requests/${filed.ticket}`, { cookie: otherCookie })).status).toBe(403);
  });

  it("shows the district's screen its streets, not its thousands of grids, and each screen the way back up", async () => {
    const stats = async (query: string) => (await t.get(`/api/stats${query}`)).json();
    const district = await stats('?areaId=T-D');
    const street = await stats('?areaId=MS');
    expect(district.unitLevel).toBe('street');
    expect(district.areaName).toBe('测试区');
    expect(district.parent).toBeNull();
    // the street's counts are its grids' counts summed: one unit, the same figures
    const sum = (key: 'open' | 'overdue') => street.units.reduce((n: number, g: { open: number; overdue: number }) => n + g[key], 0);
    expect(district.units).toEqual([expect.objectContaining({ id: 'MS', parentId: 'T-D', open: sum('open'), overdue: sum('overdue') })]);
    expect(district.units[0].open).toBeGreaterThan(0);
    expect(street.unitLevel).toBe('grid');
    expect(street.parent).toEqual({ id: 'T-D', name: '测试区' });
    // the installation's own screen: by street too, once it holds districts
    expect((await stats('')).unitLevel).toBe('street');
  });

  it('counts the district in the 三率 as its streets, and a street administrator of the street cannot ask for it', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const rates = (area: string, cookie: string) => call(t, 'GET', `/api/rates?month=${month}&area=${area}`, { cookie });
    const district = await (await rates('T-D', districtAdmin)).json() as { total: { filed: number }; rows: unknown[] };
    const ms = await (await rates('MS', districtAdmin)).json() as { total: { filed: number } };
    expect(district.total.filed).toBeGreaterThan(0);
    expect(district.total.filed).toBe(ms.total.filed);
    expect((await rates('T-D', await signIn(t, 'admin'))).status).toBe(403);
  });

  it('moves the street\'s requests to its new district when an import gives the street another one', async () => {
    const ms = await street();
    const far = JSON.stringify({ type: 'Polygon', coordinates: [[[101, 30], [101.01, 30], [101.01, 30.01], [101, 30]]] });
    const report = await importAreas(t.database, file([
      { id: 'T-D', level: 'district', name: '测试区', geometry: far },
      { id: 'T-F', level: 'district', name: '新区', geometry: ms.g },
      { id: 'MS', level: 'street', name: ms.name, parentId: 'T-F', geometry: ms.g },
    ]), { crs: 'wgs84' });
    expect(report.errors).toEqual([]);
    const after = await districtOf();
    expect(after.map((r) => r.district)).toEqual(['T-F']);
    const queue = await (await call(t, 'GET', '/api/staff/requests?status=open', { cookie: districtAdmin })).json() as { requests: unknown[] };
    expect(queue.requests).toEqual([]);
  });
});
