import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

describe.each(modes())('the rider guide on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  /** a compound with a 3号楼 of at least two units */
  async function compoundWith3() {
    const [row] = await t.database.rows<{ compoundId: string; buildingId: string }>(sql`
      SELECT b.compound_id AS "compoundId", b.id AS "buildingId" FROM buildings b
      WHERE b.number = '3号楼' AND (SELECT count(*) FROM entrances e WHERE e.building_id = b.id) >= 2 ORDER BY b.id LIMIT 1`);
    return row;
  }

  it('finds 3号楼2单元 and walks there from a gate along the paths', async () => {
    const { compoundId, buildingId } = await compoundWith3();
    const res = await t.get(`/api/rider/${compoundId}/find?q=${encodeURIComponent('3号楼2单元')}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.building).toMatchObject({ id: buildingId, number: '3号楼' });
    expect(body.entrance).toMatchObject({ unit: 2, name: '2单元' });
    const [door] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(geom) lon, ST_Y(geom) lat FROM entrances WHERE building_id = ${buildingId} AND unit = 2`);
    const [gate] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(geom) lon, ST_Y(geom) lat FROM gates WHERE id = ${body.gate.id} AND compound_id = ${compoundId}`);
    const coords = body.path.coordinates;
    expect(coords[0]).toEqual([Number(gate.lon), Number(gate.lat)]);
    expect(coords.at(-1)).toEqual([Number(door.lon), Number(door.lat)]);
  });

  it('gives a path whose length is the sum of its segments, each on a mapped path', async () => {
    const { compoundId } = await compoundWith3();
    const body = await (await t.get(`/api/rider/${compoundId}/find?q=${encodeURIComponent('3号楼2单元')}`)).json();
    const path = JSON.stringify(body.path);
    const [sum] = await t.database.rows<{ m: number; pieces: number; onRoads: number }>(sql`
      SELECT sum(ST_Length(s.geom::geography)) AS m, count(*)::int AS pieces,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM roads r WHERE ST_DWithin(r.geom, ST_LineInterpolatePoint(s.geom, 0.5), 1e-7)))::int AS "onRoads"
      FROM ST_DumpSegments(ST_SetSRID(ST_GeomFromGeoJSON(${path}), 4326)) s`);
    expect(body.meters).toBeCloseTo(Number(sum.m), 0);
    expect(Math.abs(body.meters - Number(sum.m))).toBeLessThan(0.2);
    expect(sum.onRoads).toBe(sum.pieces);
  });

  it('takes the gate nearest on foot when a compound has several', async () => {
    const [many] = await t.database.rows<{ compoundId: string; number: string }>(sql`
      SELECT g.compound_id AS "compoundId", min(b.number) AS number FROM gates g JOIN buildings b ON b.compound_id = g.compound_id
      WHERE b.number IS NOT NULL GROUP BY g.compound_id HAVING count(DISTINCT g.id) >= 2 ORDER BY g.compound_id LIMIT 1`);
    const body = await (await t.get(`/api/rider/${many.compoundId}/find?q=${encodeURIComponent(many.number)}`)).json();
    const gates = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) lon, ST_Y(geom) lat FROM gates WHERE compound_id = ${many.compoundId}`);
    for (const g of gates) {
      const other = await (await t.get(`/api/route?from=${g.lon},${g.lat}&to=${body.entrance.lon},${body.entrance.lat}`)).json();
      expect(body.meters).toBeLessThanOrEqual(other.meters + 0.1);
    }
  });

  it('answers 404 naming the buildings there are when the building does not exist', async () => {
    const { compoundId } = await compoundWith3();
    const res = await t.get(`/api/rider/${compoundId}/find?q=${encodeURIComponent('99号楼1单元')}`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ code: 'building_not_in_compound', field: 'q', number: '99' });
    expect(body.buildings).toContain('3号楼');
  });

  it('answers 404 naming the units there are when the unit does not exist', async () => {
    const { compoundId } = await compoundWith3();
    const res = await t.get(`/api/rider/${compoundId}/find?q=${encodeURIComponent('3号楼9单元')}`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ code: 'unit_not_in_building', field: 'q', unit: '9' });
    expect(body.units).toContain(1);
  });

  it('answers 400 when the query names no building, and 404 for an unknown compound', async () => {
    const { compoundId } = await compoundWith3();
    expect((await t.get(`/api/rider/${compoundId}/find?q=${encodeURIComponent('快递')}`)).status).toBe(400);
    expect((await t.get(`/api/rider/${compoundId}/find`)).status).toBe(400);
    expect((await t.get('/api/rider/NOPE')).status).toBe(404);
    expect((await t.get(`/api/rider/${encodeURIComponent("' OR 1=1 --")}/find?q=3-2`)).status).toBe(404);
  });

  it('lays out a compound: buildings with units, gates, lanes, services and the grid team', async () => {
    const body = await (await t.get('/api/rider/MS-C001')).json();
    expect(body.compound).toMatchObject({ id: 'MS-C001', name: '十号院' });
    expect(body.compound.footprint.type).toBe('MultiPolygon');
    for (const g of body.gates) {
      // gates lie on the compound's wall: the outline drawn is the one they were cut into
      const ring: number[][] = body.compound.footprint.coordinates[0][0];
      expect(ring.some(([x, y]) => Math.abs(x - g.lon) < 1e-7 && Math.abs(y - g.lat) < 1e-7)).toBe(true);
    }
    expect(body.bounds).toHaveLength(4);
    expect(body.gates.length).toBeGreaterThan(0);
    const b = body.buildings.find((x: any) => x.number === '3号楼');
    expect(b.entrances.map((e: any) => e.name)).toContain('2单元');
    expect(b.footprint.type).toMatch(/Polygon/);
    expect(body.lanes.features.some((f: any) => f.properties.class === 'footway')).toBe(true);
    for (const s of body.services) {
      expect(['rider_station', 'party_service_centre', 'ebike_parking', 'ebike_charging']).toContain(s.category);
      expect(s.walkMeters).toBeLessThanOrEqual(500);
    }
    expect(body.gridTeam.length).toBeGreaterThan(0);
  });

  it('shows only public phones and no private fields', async () => {
    const compounds = await t.database.rows<{ id: string }>(sql`SELECT id FROM compounds ORDER BY id LIMIT 30`);
    const hidden = await t.database.rows<{ phone: string }>(sql`SELECT phone FROM staff WHERE NOT phone_public AND phone IS NOT NULL`);
    for (const c of compounds) {
      const text = await (await t.get(`/api/rider/${c.id}`)).text();
      for (const h of hidden) expect(text).not.toContain(h.phone);
      expect(text).not.toMatch(/contact|password|phonePublic|phone_public/);
      for (const m of JSON.parse(text).gridTeam) expect(Object.keys(m).sort()).toEqual(['name', 'phone', 'role']);
    }
  });
});
