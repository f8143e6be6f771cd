import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { AreaIndex } from '../../api/geo/area-index.ts';
import { postgisPointCases } from '../helpers/postgis-cases.ts';
// seeded, so a failure can be replayed
import { mulberry32 as random } from '../../scripts/lib/random.ts';

describe.each(modes())('assigning points to areas on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('has children that tile every parent: no gap, no overlap', async () => {
    const rows = await t.database.rows<{ id: string; gap: number; overlap: number; area: number }>(sql`
      SELECT p.id, ST_Area(ST_SymDifference(p.geom, ST_Union(c.geom))) AS gap,
             sum(ST_Area(c.geom)) - ST_Area(ST_Union(c.geom)) AS overlap, ST_Area(p.geom) AS area
      FROM areas p JOIN areas c ON c.parent_id = p.id GROUP BY p.id, p.geom`);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.gap / r.area, `gap in ${r.id}`).toBeLessThan(1e-9);
      expect(r.overlap / r.area, `overlap in ${r.id}`).toBeLessThan(1e-9);
    }
  });

  it('places every area’s label inside the area, away from its edge', async () => {
    const rows = await t.database.rows<{ id: string; inside: boolean; margin: number; width: number }>(sql`
      SELECT id, ST_Covers(geom, label_point) AS inside, ST_Distance(label_point, ST_Boundary(geom)) AS margin,
             ST_XMax(geom) - ST_XMin(geom) AS width FROM areas`);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.inside, r.id).toBe(true);
      expect(r.margin, r.id).toBeGreaterThan(r.width / 50); // a centroid hugging an edge would fail this
    }
  });

  it('has valid polygons everywhere', async () => {
    const bad = await t.database.rows(sql`SELECT id, ST_IsValidReason(geom) FROM areas WHERE NOT ST_IsValid(geom)`);
    expect(bad).toEqual([]);
  });

  it('gives a vertex shared by several grids to exactly one: the smallest id among them', async () => {
    const vertices = await t.database.rows<{ lon: number; lat: number; ids: string[] }>(sql`
      WITH v AS (SELECT DISTINCT (ST_DumpPoints(geom)).geom AS p FROM areas WHERE level = 'grid')
      SELECT ST_X(v.p) AS lon, ST_Y(v.p) AS lat, array_agg(a.id ORDER BY a.id) AS ids
      FROM v JOIN areas a ON a.level = 'grid' AND ST_Covers(a.geom, v.p)
      GROUP BY v.p HAVING count(*) > 1 LIMIT 200`);
    expect(vertices.length).toBeGreaterThan(20);
    for (const v of vertices) {
      const located = await (await t.get(`/api/locate?lon=${v.lon}&lat=${v.lat}`)).json();
      // top-down: the community is chosen first, then the smallest covering grid inside it
      const community = located.community.id;
      const expected = v.ids.filter((id) => id.startsWith(`${community}-`))[0];
      expect(located.grid.id).toBe(expected);
    }
  });

  it('agrees with the SQL rule in memory, for random points, vertices and edge midpoints', async () => {
    const index = await AreaIndex.load(t.database);
    const next = random(42);
    const [box] = await t.database.rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(x) w, ST_YMin(x) s, ST_XMax(x) e, ST_YMax(x) n FROM (SELECT ST_Extent(geom)::geometry x FROM areas) b`);
    const points: [number, number][] = [];
    for (let i = 0; i < 1500; i++) points.push([box.w + (box.e - box.w) * 1.05 * next() - 0.0005, box.s + (box.n - box.s) * 1.05 * next() - 0.0005]);
    const edges = await t.database.rows<{ x1: number; y1: number; x2: number; y2: number }>(sql`
      SELECT ST_X(ST_StartPoint(s)) x1, ST_Y(ST_StartPoint(s)) y1, ST_X(ST_EndPoint(s)) x2, ST_Y(ST_EndPoint(s)) y2
      FROM (SELECT (ST_DumpSegments(geom)).geom s FROM areas WHERE level IN ('grid', 'microgrid')) x LIMIT 1500`);
    for (const e of edges) points.push([e.x1, e.y1], [(e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2]);
    const values = sql.join(points.map(([x, y], i) => sql`(${i}::int, ${x}::float8, ${y}::float8)`), sql`, `);
    const rows = await t.database.rows<{ i: number; street_id: string | null; community_id: string | null; grid_id: string | null; microgrid_id: string | null }>(sql`
      SELECT v.i, a.street_id, a.community_id, a.grid_id, a.microgrid_id
      FROM (VALUES ${values}) v(i, x, y)
      LEFT JOIN LATERAL assign_point(ST_SetSRID(ST_MakePoint(v.x, v.y), 4326)) a ON true ORDER BY v.i`);
    const mismatches = rows.filter((r) => {
      const m = index.assign(points[r.i][0], points[r.i][1]);
      return m.streetId !== r.street_id || m.communityId !== r.community_id || m.gridId !== r.grid_id || m.microgridId !== r.microgrid_id;
    });
    expect(rows.length).toBe(points.length);
    expect(mismatches).toEqual([]);
    expect(rows.filter((r) => r.grid_id).length).toBeGreaterThan(1000);
  });

  it('shares ST_Covers’ answers on PostGIS’s own boundary cases', async () => {
    for (const c of postgisPointCases()) {
      const wkt = `POLYGON((${c.polygon[0].map((p) => p.join(' ')).join(', ')}))`;
      const [row] = await t.database.rows<{ covers: boolean }>(sql`
        SELECT ST_Covers(ST_GeomFromText(${wkt}), ST_MakePoint(${c.point[0]}, ${c.point[1]})) AS covers`);
      expect(row.covers, c.name).toBe(c.covers);
    }
  });
});
