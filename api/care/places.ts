import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { careRoles } from '../contract/care.ts';
import { gridScopeSql } from '../visits/scope.ts';

// What the household form (/care, 新增 and 编辑) chooses from: the grids of the keeper's area, the
// residential buildings in them (placed by assign_point, the rule a household's areas follow when
// it is written) and the staff who may be made responsible (those of the grids and communities).

export async function carePlaces(database: Database, user: StaffUser) {
  const grids = await database.rows<{ id: string; name: string; community_id: string | null }>(sql`
    SELECT g.id, g.name, g.parent_id AS community_id FROM areas g WHERE ${gridScopeSql(user)} ORDER BY g.id`);
  const ids = grids.map((g) => g.id);
  if (!ids.length) return { grids: [], buildings: [], workers: [] };
  const inGrids = sql`IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;
  const communities = [...new Set(grids.map((g) => g.community_id).filter((c): c is string => c !== null))];
  const [buildings, workers] = await Promise.all([
    // a box first, on the GiST index; then the grid each building's point falls in
    database.rows<{ id: string; name: string | null; grid_id: string }>(sql`
      WITH box AS (SELECT ST_Envelope(ST_Collect(geom)) AS geom FROM areas WHERE id ${inGrids}),
      b AS (SELECT b.id, coalesce(b.name, b.number) AS name, ST_PointOnSurface(b.geom) AS p FROM buildings b, box
        WHERE b.geom && box.geom AND b.use = 'residential')
      SELECT b.id, b.name, a.grid_id FROM b CROSS JOIN LATERAL assign_point(b.p) a WHERE a.grid_id ${inGrids} ORDER BY a.grid_id, b.id`),
    database.rows<{ id: string; name: string; area_id: string }>(sql`
      SELECT s.id, s.name, s.area_id FROM staff s
      WHERE s.role IN (${sql.join(careRoles.map((r) => sql`${r}`), sql`, `)})
        AND (s.area_id ${inGrids}${communities.length ? sql` OR s.area_id IN (${sql.join(communities.map((c) => sql`${c}`), sql`, `)})` : sql``})
      ORDER BY s.area_id, s.name`),
  ]);
  return {
    grids: grids.map((g) => ({ id: g.id, name: g.name })),
    buildings: buildings.map((b) => ({ id: b.id, name: b.name ?? b.id, gridId: b.grid_id })),
    workers: workers.map((w) => ({ id: w.id, name: w.name, areaId: w.area_id })),
  };
}
