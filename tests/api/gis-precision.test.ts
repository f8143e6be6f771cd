import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../api/db/client.ts';
import { AreaIndex } from '../../api/geo/area-index.ts';
import { hasNativePostgres, startCluster, type Cluster } from '../setup/pg-cluster.ts';
import { freePort } from '../helpers/ports.ts';

// The assignment rule must give a point on a shared boundary to the same grid in SQL
// (assign_point, ST_Covers) and in memory (AreaIndex), whatever the cluster's locale and however
// many digits the boundary was drawn with.
//
// Two grids whose ids sort one way in byte order and the other way in zh-CN / en-US ('T-G2' <
// 'T-g1' in "C"; 'T-g1' first in a language's order), sharing a slanted edge with 15-digit vertices.
const [x0, y0] = [113.123456789012345, 35.215678901234567];
const [x1, y1] = [113.126543210987654, 35.219876543210987];
const [west, east, south, north] = [113.12, 113.13, 35.21, 35.225];
const ring = (points: number[][]) => `((${[...points, points[0]].map(([x, y]) => `${x} ${y}`).join(', ')}))`;
const multi = (points: number[][]) => `SRID=4326;MULTIPOLYGON(${ring(points)})`;
const boundaries = [
  { id: 'T', level: 'street', parent: null, geom: multi([[west, south], [east, south], [east, north], [west, north]]) },
  { id: 'T-C', level: 'community', parent: 'T', geom: multi([[west, south], [east, south], [east, north], [west, north]]) },
  // west of the edge, then east of it: the edge (x0,y0)–(x1,y1) runs through both, extended to the box
  { id: 'T-g1', level: 'grid', parent: 'T-C', geom: multi([[west, south], [x0, south], [x0, y0], [x1, y1], [x1, north], [west, north]]) },
  { id: 'T-G2', level: 'grid', parent: 'T-C', geom: multi([[x0, south], [east, south], [east, north], [x1, north], [x1, y1], [x0, y0]]) },
];

/** 199 points along the shared edge (on it as floating point puts them, so some fall either side), its vertices among them. */
function pointsOnTheEdge(): [number, number][] {
  const points: [number, number][] = [[x0, y0], [x1, y1]];
  for (let i = 1; i < 198; i++) {
    const t = i / 198;
    points.push([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
  }
  return points;
}

describe.runIf(hasNativePostgres()).each(['zh-CN', 'en-US'])('assigning points on a 15-digit shared edge, cluster locale %s', (icuLocale) => {
  let cluster: Cluster;
  let database: Database;
  beforeAll(async () => {
    cluster = await startCluster(await freePort(), { icuLocale });
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE gridmap_locale'));
    await admin.close();
    database = await openDatabase({ url: cluster.urlFor('gridmap_locale') });
    for (const b of boundaries) {
      await database.rows(sql`INSERT INTO areas (id, level, name, parent_id, geom) VALUES (${b.id}, ${b.level}, ${b.id}, ${b.parent}, ST_GeomFromEWKT(${b.geom}))`);
    }
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
  });

  it('sorts the two ids differently from byte order (so a collation-dependent rule would be caught)', async () => {
    const [{ locale, c }] = await database.rows<{ locale: string; c: string }>(sql`
      SELECT (ARRAY['T-g1', 'T-G2'])[CASE WHEN 'T-g1' < 'T-G2' THEN 1 ELSE 2 END] AS locale,
             (ARRAY['T-g1', 'T-G2'])[CASE WHEN 'T-g1' COLLATE "C" < 'T-G2' COLLATE "C" THEN 1 ELSE 2 END] AS c`);
    expect([locale, c]).toEqual(['T-g1', 'T-G2']);
  });

  it('gives every point the same grid in SQL and in memory, the byte-order smallest where both cover it', async () => {
    const points = pointsOnTheEdge();
    const index = await AreaIndex.load(database);
    let disagreements = 0;
    let shared = 0;
    for (const [lon, lat] of points) {
      const [row] = await database.rows<{ grid_id: string | null; both: boolean }>(sql`
        SELECT a.grid_id, (SELECT count(*) FROM areas WHERE level = 'grid' AND ST_Covers(geom, p)) = 2 AS both
        FROM (SELECT ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326) AS p) q CROSS JOIN LATERAL assign_point(p) a`);
      if (row.both) {
        shared++;
        expect(row.grid_id).toBe('T-G2');
      }
      if (index.assign(lon, lat).gridId !== row.grid_id) disagreements++;
    }
    expect(shared).toBeGreaterThanOrEqual(2); // the shared vertices at least
    expect(disagreements).toBe(0);
  });
});
