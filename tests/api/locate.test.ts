import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

describe.each(modes())('locating a resident on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('names the street, community, grid, micro-grid and building at a point, with the grid team', async () => {
    const [b] = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT b.id, ST_X(ST_PointOnSurface(b.geom)) lon, ST_Y(ST_PointOnSurface(b.geom)) lat
      FROM buildings b JOIN compounds c ON c.id = b.compound_id ORDER BY b.id LIMIT 1`);
    const res = await t.get(`/api/locate?lon=${b.lon}&lat=${b.lat}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.street.name).toBe('民生街道');
    expect(body.community.name).toMatch(/社区$/);
    expect(body.grid).not.toBeNull();
    expect(body.microgrid).not.toBeNull();
    expect(body.building.id).toBe(b.id);
    expect(body.team.some((m: any) => m.role === 'grid_leader' && m.phone)).toBe(true);
  });

  it('says where the street is from a point off the map: its name, which way and how far', async () => {
    // 0.02° east of the street's easternmost edge, on its middle latitude: the street lies west
    const [e] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_XMax(geom) + 0.02 AS lon, (ST_YMin(geom) + ST_YMax(geom)) / 2 AS lat FROM areas WHERE level = 'street' ORDER BY id LIMIT 1`);
    const body = await (await t.get(`/api/locate?lon=${e.lon}&lat=${e.lat}`)).json();
    expect(body.street).toBeNull();
    expect(body.outside).toMatchObject({ street: '民生街道', direction: 'w' });
    expect(body.outside.meters).toBeGreaterThan(1500);
    expect(body.outside.meters).toBeLessThan(2500);
    // and the filing it would make is refused with the same facts, for the page to word
    const filed = await t.post('/api/requests', { category: 'other', description: '门口积水', lon: Number(e.lon), lat: Number(e.lat) });
    expect(filed.status).toBe(422);
    expect(await filed.json()).toMatchObject({ code: 'outside_service_area', field: 'lon', street: '民生街道', direction: 'w' });
  });

  it('names the nearest party household of the community, with its phone only when public', async () => {
    const [h] = await t.database.rows<{ name: string; phone: string; phone_public: boolean; lon: number; lat: number }>(sql`
      SELECT s.name, s.phone, s.phone_public, ST_X(s.geom) lon, ST_Y(s.geom) lat FROM staff s
      WHERE s.role = 'party_household' AND s.geom IS NOT NULL ORDER BY s.id LIMIT 1`);
    const body = await (await t.get(`/api/locate?lon=${h.lon}&lat=${h.lat}`)).json();
    expect(body.partyHousehold.name).toBe(h.name);
    expect(body.partyHousehold.distanceMeters).toBe(0);
    expect(body.partyHousehold.phone).toBe(h.phone_public ? h.phone : null);
    const anyPrivate = await t.database.rows<{ phone: string; lon: number; lat: number }>(sql`
      SELECT phone, ST_X(geom) lon, ST_Y(geom) lat FROM staff WHERE role = 'party_household' AND NOT phone_public AND geom IS NOT NULL LIMIT 5`);
    for (const p of anyPrivate) {
      expect(JSON.stringify(await (await t.get(`/api/locate?lon=${p.lon}&lat=${p.lat}`)).json())).not.toContain(p.phone);
    }
  });

  it('shows only the phones staff agreed to publish', async () => {
    const hidden = await t.database.rows<{ phone: string; area_id: string }>(sql`
      SELECT phone, area_id FROM staff WHERE NOT phone_public AND phone IS NOT NULL AND area_id IN (SELECT id FROM areas WHERE level IN ('grid', 'microgrid'))`);
    for (const h of hidden.slice(0, 10)) {
      const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
        SELECT ST_X(ST_PointOnSurface(geom)) lon, ST_Y(ST_PointOnSurface(geom)) lat FROM areas WHERE id = ${h.area_id}`);
      const body = await (await t.get(`/api/locate?lon=${p.lon}&lat=${p.lat}`)).json();
      expect(JSON.stringify(body)).not.toContain(h.phone);
      const area = await (await t.get(`/api/areas/${h.area_id}`)).json();
      expect(JSON.stringify(area)).not.toContain(h.phone);
    }
  });

  it('answers nulls outside the map, and 400 for missing or malformed coordinates', async () => {
    const outside = await (await t.get('/api/locate?lon=116.397&lat=39.909')).json();
    expect(outside).toMatchObject({ street: null, community: null, grid: null, microgrid: null, building: null, team: [], partyHousehold: null });
    expect((await t.get('/api/locate?lat=35.2')).status).toBe(400);
    const bad = await t.get('/api/locate?lon=abc&lat=35.2');
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('lon');
    expect((await t.get('/api/locate?lon=113.2&lat=-95')).status).toBe(400);
  });

  it('describes a grid with its leader, public phones and open requests', async () => {
    const body = await (await t.get('/api/areas/MS-XSL-G01')).json();
    expect(body.level).toBe('grid');
    expect(body.parentName).toBe('学生路社区');
    expect(body.team.length).toBeGreaterThan(0);
    expect(body.openRequests).toBeGreaterThanOrEqual(0);
    expect(body.totalRequests).toBeGreaterThanOrEqual(body.openRequests);
    expect((await t.get('/api/areas/nope')).status).toBe(404);
  });
});
