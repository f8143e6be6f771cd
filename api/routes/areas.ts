import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { openStatuses, type AreaKind, type AreaLevel } from '../contract/vocabulary.ts';
import { PointQuery } from '../contract/wire.ts';
import { sqlList } from '../db/sql-list.ts';
import { ApiError } from '../errors.ts';
import { query } from '../validate.ts';
import { whereStreetIs } from '../places/street-hint.ts';
import { nearestPartyHousehold, publicTeam } from '../places/team.ts';

type Ref = { id: string; name: string } | null;
const areaColumn: Record<AreaLevel, ReturnType<typeof sql>> = {
  district: sql`district_id`, street: sql`street_id`, community: sql`community_id`, grid: sql`grid_id`, microgrid: sql`microgrid_id`,
};

/** /api/areas/{id} (an area with its public team and request counts) and /api/locate (which areas hold a point). */
export const areaRoutes = (database: Database) => new Hono()
  .get('/areas/:id', async (c) => {
    const [area] = await database.rows<{ id: string; name: string; level: AreaLevel; kind: AreaKind; parentId: string | null; parentName: string | null }>(sql`
      SELECT a.id, a.name, a.level, a.kind, a.parent_id AS "parentId", p.name AS "parentName"
      FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = ${c.req.param('id')}`);
    if (!area) throw new ApiError('area_not_found', `no area '${c.req.param('id')}'`);
    const [counts] = await database.rows<{ open: number; total: number }>(sql`
      SELECT count(*) FILTER (WHERE status IN ${sqlList(openStatuses)})::int AS open, count(*)::int AS total
      FROM requests WHERE ${areaColumn[area.level]} = ${area.id}`);
    const team = await publicTeam(database, [area.id]);
    return c.json({ ...area, team: team.map(({ areaId: _, ...m }) => m), openRequests: counts.open, totalRequests: counts.total });
  })

  .get('/locate', query(PointQuery), async (c) => {
    const { lon, lat } = c.req.valid('query');
    const [hit] = await database.rows<Record<string, string | null>>(sql`
      SELECT a.street_id, s.name AS street_name, a.community_id, cm.name AS community_name,
             a.grid_id, g.name AS grid_name, a.microgrid_id, m.name AS microgrid_name,
             b.id AS building_id, coalesce(b.number, b.name) AS building_name
      FROM assign_point(ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) a
      LEFT JOIN areas s ON s.id = a.street_id LEFT JOIN areas cm ON cm.id = a.community_id
      LEFT JOIN areas g ON g.id = a.grid_id LEFT JOIN areas m ON m.id = a.microgrid_id
      LEFT JOIN LATERAL (SELECT id, number, name FROM buildings
        WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY id LIMIT 1) b ON true`);
    const ref = (id?: string | null, name?: string | null): Ref => (id ? { id, name: name ?? id } : null);
    const result = {
      street: ref(hit?.street_id, hit?.street_name),
      community: ref(hit?.community_id, hit?.community_name),
      grid: ref(hit?.grid_id, hit?.grid_name),
      microgrid: ref(hit?.microgrid_id, hit?.microgrid_name),
      building: ref(hit?.building_id, hit?.building_name),
    };
    const ids = [result.grid?.id, result.microgrid?.id].filter((x): x is string => !!x);
    const team = await publicTeam(database, ids);
    const partyHousehold = result.community ? await nearestPartyHousehold(database, lon, lat, result.community.id) : null;
    // a point off the map: where the street is, for the page to say which way to go
    const outside = result.street ? null : await whereStreetIs(database, lon, lat);
    return c.json({ ...result, team, partyHousehold, outside });
  });
