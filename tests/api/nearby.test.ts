import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

// The hand-computed path: 十号院's north gate, down the lane MS-R0055 to its first bend, west
// along the footway MS-R0053 by one piece, then the footway MS-R0044 to 2号楼's 1单元 door.
const gate = [113.2262111, 35.2251634];
const door = [113.2259768, 35.2248919];

async function handPath(t: TestApp): Promise<number> {
  const [row] = await t.database.rows<{ m: number }>(sql`
    SELECT (SELECT ST_Length(ST_MakeLine(ST_PointN(geom, 1), ST_PointN(geom, 2))::geography) FROM roads WHERE id = 'MS-R0055')
         + (SELECT ST_Length(ST_MakeLine(ST_PointN(geom, 4), ST_PointN(geom, 5))::geography) FROM roads WHERE id = 'MS-R0053')
         + (SELECT ST_Length(geom::geography) FROM roads WHERE id = 'MS-R0044') AS m`);
  return Number(row.m);
}

describe.each(modes())('nearby services on foot on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('walks the hand-computed path from the gate to a service point at a door', async () => {
    // the pieces really join: each starts where the previous one ends
    const [joins] = await t.database.rows<{ ok: boolean }>(sql`
      SELECT ST_Equals(ST_PointN(a.geom, 2), ST_PointN(b.geom, 4)) AND ST_Equals(ST_PointN(b.geom, 5), ST_StartPoint(c.geom))
         AND ST_Equals(ST_PointN(a.geom, 1), ST_SetSRID(ST_MakePoint(${gate[0]}, ${gate[1]}), 4326)) AND ST_Equals(ST_EndPoint(c.geom), ST_SetSRID(ST_MakePoint(${door[0]}, ${door[1]}), 4326)) AS ok
      FROM roads a, roads b, roads c WHERE a.id = 'MS-R0055' AND b.id = 'MS-R0053' AND c.id = 'MS-R0044'`);
    expect(joins.ok).toBe(true);
    await t.database.rows(sql`INSERT INTO pois (id, category, name, opening_hours, geom)
      VALUES ('TEST-TOOLBOX', 'shared_toolbox', '测试工具箱', '24/7', ST_SetSRID(ST_MakePoint(${door[0]}, ${door[1]}), 4326))`);
    const expected = await handPath(t);
    const body = await (await t.get(`/api/nearby?lon=${gate[0]}&lat=${gate[1]}&category=shared_toolbox`)).json();
    const hit = body.results.find((r: any) => r.id === 'TEST-TOOLBOX');
    expect(body.origin.snappedMeters).toBe(0);
    expect(hit.walkMeters).toBe(Math.round(expected));
    expect(hit.walkMinutes).toBe(Math.max(1, Math.round(expected / 75)));
    expect(hit.straightMeters).toBeLessThanOrEqual(hit.walkMeters);
    await t.database.rows(sql`DELETE FROM pois WHERE id = 'TEST-TOOLBOX'`);
  });

  it('draws the walking route along the same pieces with the same length', async () => {
    const expected = await handPath(t);
    const body = await (await t.get(`/api/route?from=${gate.join(',')}&to=${door.join(',')}`)).json();
    expect(body.meters).toBeCloseTo(expected, 1);
    expect(body.geometry.coordinates).toHaveLength(4);
    const [len] = await t.database.rows<{ m: number }>(sql`SELECT ST_Length(ST_GeomFromGeoJSON(${JSON.stringify(body.geometry)})::geography) AS m`);
    expect(Number(len.m)).toBeCloseTo(body.meters, 1);
  });

  it('never walks shorter than the straight line, at points across the street', async () => {
    const points = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) lon, ST_Y(p) lat FROM (SELECT ST_PointOnSurface(geom) p FROM buildings ORDER BY id LIMIT 12) x`);
    for (const p of points) {
      const body = await (await t.get(`/api/nearby?lon=${p.lon}&lat=${p.lat}&limit=20`)).json();
      expect(body.results.length).toBe(20);
      for (const r of body.results) expect(r.walkMeters).toBeGreaterThanOrEqual(r.straightMeters);
    }
  });

  it('lists results nearest first by walking distance', async () => {
    const body = await (await t.get('/api/nearby?lon=113.2353&lat=35.2165&limit=50')).json();
    const walks = body.results.map((r: any) => r.walkMeters);
    expect(walks).toEqual([...walks].sort((a, b) => a - b));
    // not the straight-line order: somewhere the two disagree
    const straight = body.results.map((r: any) => r.straightMeters);
    expect(straight).not.toEqual([...straight].sort((a, b) => a - b));
  });

  it('finds the same nearest points as routing to every point one by one', async () => {
    const [lon, lat] = [113.2301, 35.2187];
    const all = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT id, ST_X(geom) lon, ST_Y(geom) lat FROM pois WHERE category IN ('clinic', 'pharmacy')`);
    const walked = [];
    for (const p of all) {
      const r = await (await t.get(`/api/route?from=${lon},${lat}&to=${p.lon},${p.lat}`)).json();
      walked.push({ id: p.id, meters: Math.round(r.meters) });
    }
    walked.sort((a, b) => a.meters - b.meters || a.id.localeCompare(b.id));
    const body = await (await t.get(`/api/nearby?lon=${lon}&lat=${lat}&category=clinic,pharmacy&limit=3`)).json();
    expect(body.results.map((r: any) => r.id)).toEqual(walked.slice(0, 3).map((w) => w.id));
  });

  it('keeps to the categories asked for', async () => {
    const one = await (await t.get('/api/nearby?lon=113.2353&lat=35.2165&category=elderly_canteen&limit=50')).json();
    expect(one.results.length).toBeGreaterThan(0);
    expect(new Set(one.results.map((r: any) => r.category))).toEqual(new Set(['elderly_canteen']));
    const two = await (await t.get('/api/nearby?lon=113.2353&lat=35.2165&category=clinic,pharmacy&limit=50')).json();
    expect(new Set(two.results.map((r: any) => r.category))).toEqual(new Set(['clinic', 'pharmacy']));
  });

  it('gives each result its public fields, minutes on foot and whether it is open', async () => {
    const body = await (await t.get('/api/nearby?lon=113.2353&lat=35.2165&limit=5')).json();
    expect(body.results).toHaveLength(5);
    for (const r of body.results) {
      expect(r).toHaveProperty('name');
      expect(r).toHaveProperty('openingHours');
      expect(Array.isArray(r.activities)).toBe(true);
      expect(r.walkMinutes).toBe(Math.max(1, Math.round(r.walkMeters / 75)));
      expect([true, false, null]).toContain(r.openNow);
      expect(typeof r.status).toBe('string');
    }
  });

  it('answers 400 naming the field for missing or malformed parameters', async () => {
    const cases: [string, string][] = [
      ['/api/nearby?lat=35.2', 'lon'],
      ['/api/nearby?lon=abc&lat=35.2', 'lon'],
      ['/api/nearby?lon=113.2353&lat=95', 'lat'],
      ['/api/nearby?lon=113.2353&lat=35.2165&category=casino', 'category'],
      ['/api/nearby?lon=113.2353&lat=35.2165&category=clinic,%27;DROP%20TABLE%20pois', 'category'],
      ['/api/nearby?lon=113.2353&lat=35.2165&limit=0', 'limit'],
      ['/api/nearby?lon=113.2353&lat=35.2165&limit=-3', 'limit'],
      ['/api/nearby?lon=113.2353&lat=35.2165&limit=ten', 'limit'],
      ['/api/route?from=113.2353&to=113.2,35.2', 'from'],
    ];
    for (const [path, field] of cases) {
      const res = await t.get(path);
      expect(res.status, path).toBe(400);
      expect((await res.json()).field, path).toBe(field);
    }
  });

  it('answers 422 for a point more than 500 m from any path', async () => {
    const res = await t.get('/api/nearby?lon=116.397&lat=39.909');
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(/500 m/);
  });
});
