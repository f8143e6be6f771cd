import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, pointIn, signIn } from '../helpers/staff.ts';

// Editing on the map in the console (issue 8 §2, docs/editing.md): points moved inside the editor's
// area only, a building's number, outlines reshaped with their shared borders moved on both sides and
// the import's coverage checks; refusals write nothing; every change audited with before and after.

describe.each(modes())('editing places on the map on %s', (mode) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const as = (who: string, path: string, body?: unknown) => call(t, 'POST', path, { cookie: cookies[who], body });
  const geometryOf = async (table: 'pois' | 'areas', id: string) =>
    JSON.parse((await t.database.rows<{ g: string }>(sql`SELECT ST_AsGeoJSON(geom, 15) AS g FROM ${sql.identifier(table)} WHERE id = ${id}`))[0].g);
  const auditCount = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM admin_events`))[0].n;
  /** the children's areas on the ground (m²), and their union's, for a parent */
  const tiling = async (parentId: string) => (await t.database.rows<{ sum: number; union: number }>(sql`
    SELECT sum(ST_Area(geom::geography)) AS sum, ST_Area(ST_Union(geom)::geography) AS union FROM areas WHERE parent_id = ${parentId}`))[0];

  /**
   * `id`'s outline with a border moved `metres`, as a drag in the console does: a corner added in the
   * middle of an edge shared with `neighbour` and dragged into it; or (`neighbour` null) a corner whose
   * two edges lie on the parent's edge, dragged inwards (what it gives up, nobody takes).
   */
  async function movedBorder(id: string, neighbour: string | null, metres: number): Promise<Polygon> {
    const stored = await geometryOf('areas', id); // a one-part MultiPolygon, as areas are stored
    const ring = (stored.type === 'MultiPolygon' ? stored.coordinates[0] : stored.coordinates)[0] as number[][];
    for (let i = 0; i < ring.length - 1; i++) {
      const [a, b] = [ring[i], ring[i + 1]];
      const corner = neighbour ? [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] : a;
      const [here] = await t.database.rows<{ fits: boolean; tx: number; ty: number }>(sql`
        WITH e AS (SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(${a[0]}, ${a[1]}), ST_MakePoint(${b[0]}, ${b[1]})), 4326) AS next,
                          ST_SetSRID(ST_MakeLine(ST_MakePoint(${ring[(i - 1 + ring.length - 1) % (ring.length - 1)][0]}, ${ring[(i - 1 + ring.length - 1) % (ring.length - 1)][1]}), ST_MakePoint(${a[0]}, ${a[1]})), 4326) AS prev,
                          ST_SetSRID(ST_MakePoint(${corner[0]}, ${corner[1]}), 4326) AS p)
        SELECT CASE WHEN ${neighbour}::text IS NOT NULL
            THEN ST_DWithin(ST_Boundary(n.geom), e.p, 1e-9) AND NOT ST_DWithin(ST_Boundary(pa.geom), e.p, 1e-9)
            ELSE ST_Covers(ST_Buffer(ST_Boundary(pa.geom), 1e-9), e.next) AND ST_Covers(ST_Buffer(ST_Boundary(pa.geom), 1e-9), e.prev) END AS fits,
          ST_X(ST_PointOnSurface(coalesce(n.geom, a.geom))) AS tx, ST_Y(ST_PointOnSurface(coalesce(n.geom, a.geom))) AS ty
        FROM e, areas a JOIN areas pa ON pa.id = a.parent_id LEFT JOIN areas n ON n.id = ${neighbour}::text WHERE a.id = ${id}`);
      if (!here.fits) continue;
      const [dx, dy] = [Number(here.tx) - corner[0], Number(here.ty) - corner[1]]; // into the neighbour, or inwards
      const step = metres / 111_000 / Math.hypot(dx, dy);
      const to = [corner[0] + dx * step, corner[1] + dy * step];
      const moved: Polygon = {
        type: 'Polygon',
        coordinates: [neighbour ? [...ring.slice(0, i + 1), to, ...ring.slice(i + 1)] : ring.map((p, j) => (j === i || (i === 0 && j === ring.length - 1) ? to : p))],
      };
      const [ok] = await t.database.rows<{ ok: boolean }>(sql`
        SELECT ST_IsValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(moved)}), 4326))
          AND (${neighbour}::text IS NULL OR ST_Contains(n.geom, ST_SetSRID(ST_MakePoint(${to[0]}, ${to[1]}), 4326))) AS ok
        FROM areas a LEFT JOIN areas n ON n.id = ${neighbour}::text WHERE a.id = ${id}`);
      if (ok.ok) return moved;
    }
    throw new Error(`no border of ${id} to move${neighbour ? ` with ${neighbour}` : ''}`);
  }

  beforeAll(async () => {
    t = await openTestApp(mode);
    for (const who of ['admin', 'xsl-shuji', 'mzl-shuji']) cookies[who] = await signIn(t, who);
  });
  afterAll(async () => { await t?.close(); });

  it('asks anonymous callers to sign in and keeps each secretary to their own community', async () => {
    const inside = await pointIn(t, 'MS-XSL-G01-M1');
    const point = { geometry: { type: 'Point', coordinates: [inside.lon, inside.lat] } };
    const anonymous = await call(t, 'POST', '/api/admin/places/pois/MS-P001/position', { body: point });
    expect(anonymous.status).toBe(401);
    expect((await call(t, 'GET', '/api/admin/places/map')).status).toBe(401);
    const other = await as('mzl-shuji', '/api/admin/places/pois/MS-P001/position', point);
    expect(other.status).toBe(403);
    expect((await other.json()).code).toBe('out_of_scope');
    const outline = await as('mzl-shuji', '/api/admin/areas/MS-XSL-G01-M1/outline', { geometry: await geometryOf('areas', 'MS-XSL-G01-M1') });
    expect(outline.status).toBe(403);
    // a secretary reshapes the grids of their community, not the community, whose neighbours are others'
    const community = await as('xsl-shuji', '/api/admin/areas/MS-XSL/outline', { geometry: await geometryOf('areas', 'MS-XSL') });
    expect(community.status).toBe(403);
    const map = await (await call(t, 'GET', '/api/admin/places/map', { cookie: cookies['xsl-shuji'] })).json();
    expect(map.points.features.some((f: any) => f.id === 'MS-P001')).toBe(true);
    expect(map.areas.features.every((f: any) => f.id.startsWith('MS-XSL'))).toBe(true);
    expect(map.areas.features.find((f: any) => f.id === 'MS-XSL-G01').properties.editable).toBe(true);
    expect(map.areas.features.find((f: any) => f.id === 'MS-XSL').properties.editable).toBe(false);
  });

  it('moves a service point inside the editor\u2019s community, audited with before and after, and refuses a move out of it', async () => {
    const before = await geometryOf('pois', 'MS-P001');
    const to = await pointIn(t, 'MS-XSL-G02-M1');
    const res = await as('xsl-shuji', '/api/admin/places/pois/MS-P001/position', { geometry: { type: 'Point', coordinates: [to.lon, to.lat] } });
    expect(res.status).toBe(200);
    const moved = await geometryOf('pois', 'MS-P001');
    expect(moved.coordinates[0]).toBeCloseTo(to.lon, 9);
    expect(moved.coordinates[1]).toBeCloseTo(to.lat, 9);
    const [event] = await t.database.rows<{ actor: string; subject: string; detail: any }>(sql`
      SELECT actor, subject, detail FROM admin_events WHERE action = 'place_moved' ORDER BY id DESC LIMIT 1`);
    expect(event).toMatchObject({ actor: 'xsl-shuji', subject: 'pois:MS-P001' });
    expect(event.detail.before.coordinates[0]).toBeCloseTo(before.coordinates[0], 7);
    expect(event.detail.after.coordinates).toEqual([to.lon, to.lat]);

    const away = await pointIn(t, 'MS-MZL-G01-M1');
    const out = await as('xsl-shuji', '/api/admin/places/pois/MS-P001/position', { geometry: { type: 'Point', coordinates: [away.lon, away.lat] } });
    expect(out.status).toBe(403);
    expect((await out.json()).code).toBe('out_of_scope');
    expect(await geometryOf('pois', 'MS-P001')).toEqual(moved);
  });

  it('refuses hostile geometry with a stable code and writes nothing', async () => {
    const events = await auditCount();
    const tries: [unknown, number, string][] = [
      ['{"geometry":{"type":"Point","coordinates":[NaN,35.2]}}', 400, 'invalid_json'],
      [{ geometry: { type: 'Point', coordinates: ['NaN', 35.2] } }, 422, 'layer_bad_geometry'],
      [{ geometry: { type: 'Point', coordinates: [1e308, 1e308] } }, 422, 'layer_bad_geometry'],
      [{ geometry: { type: 'LineString', coordinates: [[113.22, 35.22], [113.23, 35.22]] } }, 422, 'layer_bad_geometry'],
      [{ geometry: { type: 'Point' } }, 422, 'layer_bad_geometry'],
      [{ geometry: 'POINT(113.22 35.22)' }, 422, 'layer_bad_geometry'],
      [{ geometry: { type: 'Point', coordinates: [35.22, 113.22] } }, 422, 'layer_swapped_coordinates'],
    ];
    for (const [body, status, code] of tries) {
      const res = await as('admin', '/api/admin/places/gates/MS-C001-GATE1/position', body);
      expect({ body, status: res.status, code: (await res.json()).code }).toEqual({ body, status, code });
    }
    const outline = await as('admin', '/api/admin/areas/MS-XSL-G01-M1/outline', { geometry: { type: 'Polygon', coordinates: [[[113.22, 35.22], [1e9, 35.22], [113.23, 35.23], [113.22, 35.22]]] } });
    expect(outline.status).toBe(422);
    expect((await outline.json()).code).toBe('outline_problems');
    const bowtie = await as('admin', '/api/admin/areas/MS-XSL-G01-M1/outline', { geometry: { type: 'Polygon', coordinates: [[[113.226, 35.224], [113.227, 35.225], [113.227, 35.224], [113.226, 35.225], [113.226, 35.224]]] } });
    const refused = await bowtie.json();
    expect(refused.code).toBe('outline_problems');
    expect(refused.problems[0]).toMatchObject({ kind: 'invalid', areaIds: ['MS-XSL-G01-M1'] });
    const street = await as('admin', '/api/admin/areas/MS/outline', { geometry: await geometryOf('areas', 'MS') });
    expect((await street.json()).code).toBe('outline_not_editable');
    expect(await auditCount()).toBe(events);
  });

  it('changes a building\u2019s number and units, read as the import reads them', async () => {
    const res = await as('xsl-shuji', '/api/admin/places/buildings/MS-C001-B01', { number: '1号楼A', units: 4 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'MS-C001-B01', number: '1号楼A', units: 4 });
    const bad = await as('xsl-shuji', '/api/admin/places/buildings/MS-C001-B01', { units: 'many' });
    expect((await bad.json()).code).toBe('layer_bad_value');
    expect((await as('mzl-shuji', '/api/admin/places/buildings/MS-C001-B01', { units: 2 })).status).toBe(403);
    const [event] = await t.database.rows<{ detail: any }>(sql`SELECT detail FROM admin_events WHERE action = 'building_changed' ORDER BY id DESC LIMIT 1`);
    expect(event.detail).toEqual({ before: { number: '1号楼', units: 3 }, after: { number: '1号楼A', units: 4 } });
  });

  it('moves a shared border on both sides: the parent keeps its area, requests and care households follow', async () => {
    const parent = await tiling('MS-XSL-G01');
    const neighbourBefore = await geometryOf('areas', 'MS-XSL-G01-M2');
    const moved = await movedBorder('MS-XSL-G01-M1', 'MS-XSL-G01-M2', 8);
    // a request and a household in the strip that changes hands: M2's before, M1's after
    const [strip] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(ST_Intersection(n.geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(moved)}), 4326))) AS p
      FROM areas n WHERE n.id = 'MS-XSL-G01-M2') x`);
    const filed = await t.post('/api/requests', { category: 'blocked_drain', description: '边界上的井盖松了', lon: Number(strip.lon), lat: Number(strip.lat) });
    const { ticket } = await filed.json();
    const ticketArea = async () => (await t.database.rows<{ m: string }>(sql`SELECT microgrid_id AS m FROM requests WHERE ticket = ${ticket}`))[0].m;
    expect(await ticketArea()).toBe('MS-XSL-G01-M2');
    const [household] = await t.database.rows<{ id: number }>(sql`
      INSERT INTO care_households (street_id, community_id, grid_id, microgrid_id, name_sealed, name_index, colour, geom)
      VALUES ('MS', 'MS-XSL', 'MS-XSL-G01', 'MS-XSL-G01-M2', 'sealed', 'index-map-edit', 'green', ST_SetSRID(ST_MakePoint(${strip.lon}, ${strip.lat}), 4326))
      RETURNING id`);

    const res = await as('xsl-shuji', '/api/admin/areas/MS-XSL-G01-M1/outline', { geometry: moved });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.changed).toEqual(['MS-XSL-G01-M1', 'MS-XSL-G01-M2']);
    expect(body.requestsMoved).toBeGreaterThanOrEqual(1);
    expect(await ticketArea()).toBe('MS-XSL-G01-M1');
    const [h] = await t.database.rows<{ m: string }>(sql`SELECT microgrid_id AS m FROM care_households WHERE id = ${household.id}`);
    expect(h.m).toBe('MS-XSL-G01-M1');
    // both sides changed; together they still tile the grid, no sliver over 1 m²
    expect(await geometryOf('areas', 'MS-XSL-G01-M2')).not.toEqual(neighbourBefore);
    const after = await tiling('MS-XSL-G01');
    expect(Math.abs(after.sum - parent.sum)).toBeLessThan(1);
    expect(Math.abs(after.union - parent.union)).toBeLessThan(1);
    const [event] = await t.database.rows<{ actor: string; detail: any }>(sql`SELECT actor, detail FROM admin_events WHERE action = 'area_reshaped' ORDER BY id DESC LIMIT 1`);
    expect(event.actor).toBe('xsl-shuji');
    expect(event.detail.neighbours.map((n: any) => n.id)).toEqual(['MS-XSL-G01-M2']);
  });

  it('refuses an outline that leaves a gap in its parent, or its own children outside it, and writes nothing', async () => {
    const events = await auditCount();
    const gridBefore = await geometryOf('areas', 'MS-XSL-G01');
    // a micro-grid's corner on its grid's edge dragged inwards: what it gives up, nobody takes
    const inward = await movedBorder('MS-XSL-G01-M2', null, 8);
    const gap = await as('admin', '/api/admin/areas/MS-XSL-G01-M2/outline', { geometry: inward });
    const refusal = await gap.json();
    expect(gap.status).toBe(422);
    expect(refusal.code).toBe('outline_problems');
    expect(refusal.problems.some((p: any) => p.kind === 'gap' && p.areaIds[0] === 'MS-XSL-G01' && p.at.length === 2)).toBe(true);

    // a grid whose shared border moves leaves its micro-grids no longer tiling it: reported, not clipped
    const [{ id: beside }] = await t.database.rows<{ id: string }>(sql`
      SELECT n.id FROM areas a JOIN areas n ON n.parent_id = a.parent_id AND n.id <> a.id AND ST_Relate(a.geom, n.geom, '****1****')
      WHERE a.id = 'MS-XSL-G01' ORDER BY n.id LIMIT 1`);
    const grown = await movedBorder('MS-XSL-G01', beside, 8);
    const children = await as('admin', '/api/admin/areas/MS-XSL-G01/outline', { geometry: grown });
    const problems = (await children.json()).problems as { kind: string; areaIds: string[] }[];
    expect(children.status).toBe(422);
    expect(problems.some((p) => p.areaIds.some((a) => a.startsWith('MS-XSL-G01-') || a.startsWith(`${beside}-`)))).toBe(true);

    expect(await geometryOf('areas', 'MS-XSL-G01')).toEqual(gridBefore);
    expect(await auditCount()).toBe(events);
  });
});
