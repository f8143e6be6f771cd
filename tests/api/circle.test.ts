import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { recompute } from '../../api/geo/circle.ts';

describe.each(modes())('the 15-minute circle on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('lists every residential building, computed in under 5 s', async () => {
    const body = await (await t.get('/api/circle')).json();
    const [n] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int n FROM buildings WHERE use = 'residential'`);
    expect(body.buildings).toHaveLength(n.n);
    expect(body.computeMs).toBeLessThan(5000);
    for (const b of body.buildings) {
      expect([...b.missing, ...Object.keys(b.reachable)].sort()).toEqual([...body.categories].sort());
      for (const m of Object.values(b.reachable) as number[]) expect(m).toBeLessThanOrEqual(15);
    }
  });

  it('gives a building right next to an elderly care centre that category within 15 minutes', async () => {
    const [near] = await t.database.rows<{ id: string; m: number }>(sql`
      SELECT b.id, ST_Distance(b.geom::geography, p.geom::geography) AS m FROM pois p, buildings b
      WHERE p.category = 'elderly_care' AND b.use = 'residential' ORDER BY b.geom <-> p.geom LIMIT 1`);
    expect(Number(near.m)).toBeLessThan(150);
    const body = await (await t.get('/api/circle')).json();
    const b = body.buildings.find((x: any) => x.id === near.id);
    expect(b.reachable.elderly_care).toBeLessThanOrEqual(5);
    expect(b.missing).not.toContain('elderly_care');
  });

  it('counts the gaps per category with a sentence for the secretary', async () => {
    const body = await (await t.get('/api/circle?category=elderly_care,clinic')).json();
    expect(body.categories).toEqual(['elderly_care', 'clinic']);
    for (const g of body.gaps) {
      expect(g.buildings).toBe(body.buildings.filter((b: any) => b.missing.includes(g.category)).length);
      expect(g.label).toMatch(g.buildings ? /栋楼 15 分钟内没有/ : /都有/);
    }
    expect(Object.keys(body.buildings[0].reachable).every((k) => ['elderly_care', 'clinic'].includes(k))).toBe(true);
  });

  it('serves the footprints with how many categories each building lacks', async () => {
    const res = await t.get('/api/circle/buildings.geojson');
    expect(res.headers.get('content-type')).toMatch(/geo\+json/);
    const fc = await res.json();
    const body = await (await t.get('/api/circle')).json();
    expect(fc.features).toHaveLength(body.buildings.length);
    const byId = new Map(body.buildings.map((b: any) => [b.id, b]));
    for (const f of fc.features) {
      expect(f.geometry.type).toMatch(/Polygon/);
      expect(f.properties.missingCount).toBe((byId.get(f.id) as any).missing.length);
    }
  });

  it('answers 400 for a category outside the circle', async () => {
    const res = await t.get('/api/circle?category=casino');
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('category');
  });

  it('notices a new service point without being told', async () => {
    const before = await (await t.get('/api/circle')).json();
    const lacking = before.buildings.find((b: any) => b.missing.includes('shared_toolbox'));
    expect(lacking).toBeDefined();
    const [door] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(geom) lon, ST_Y(geom) lat FROM entrances WHERE building_id = ${lacking.id} ORDER BY unit LIMIT 1`);
    await t.database.rows(sql`INSERT INTO pois (id, category, name, geom)
      VALUES ('TEST-BOX', 'shared_toolbox', '测试工具箱', ST_SetSRID(ST_MakePoint(${door.lon}, ${door.lat}), 4326))`);
    const after = await (await t.get('/api/circle')).json();
    expect(after.buildings.find((b: any) => b.id === lacking.id).reachable.shared_toolbox).toBe(1);
    await t.database.rows(sql`DELETE FROM pois WHERE id = 'TEST-BOX'`);
  });

  it('leaves every building without a category once all its service points are gone and it is recomputed', async () => {
    await t.database.rows(sql`DELETE FROM pois WHERE category = 'elderly_care'`);
    await recompute(t.database);
    const body = await (await t.get('/api/circle')).json();
    expect(body.buildings.length).toBeGreaterThan(0);
    expect(body.buildings.every((b: any) => b.missing.includes('elderly_care'))).toBe(true);
    expect(body.gaps.find((g: any) => g.category === 'elderly_care').buildings).toBe(body.buildings.length);
  });
});
