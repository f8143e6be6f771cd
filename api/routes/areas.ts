import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { openStatuses } from '../db/schema.ts';
import { pointParams } from '../validate.ts';

type Ref = { id: string; name: string } | null;

/** A grid team's public contacts: only phones the staff member agreed to publish. */
export async function publicTeam(database: Database, areaIds: string[]) {
  if (!areaIds.length) return [];
  return database.rows<{ name: string; role: string; phone: string | null; areaId: string }>(sql`
    SELECT s.name, s.role, CASE WHEN s.phone_public THEN s.phone END AS phone, s.area_id AS "areaId"
    FROM staff s WHERE s.area_id IN (${sql.join(areaIds.map((id) => sql`${id}`), sql`, `)})
      AND s.role IN ('secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'mediator')
    ORDER BY array_position(ARRAY['grid_leader','grid_worker','microgrid_leader','mediator','secretary'], s.role), s.id`);
}

/**
 * The nearest party household (党员中心户) of the resident's community: they relay needs for the
 * homes around them and are publicly designated, so name and building are shown; the phone only
 * when they agreed to publish it.
 */
async function nearestPartyHousehold(database: Database, lon: number, lat: number, communityId: string) {
  const [row] = await database.rows<{ name: string; phone: string | null; address: string | null; meters: number }>(sql`
    WITH me AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS p)
    SELECT s.name, CASE WHEN s.phone_public THEN s.phone END AS phone,
           nullif(concat_ws(' ', c.name, b.number), '') AS address,
           round(ST_Distance(s.geom::geography, me.p::geography))::int AS meters
    FROM staff s CROSS JOIN me
    JOIN areas a ON a.id = s.area_id
    LEFT JOIN LATERAL (SELECT id, number, compound_id FROM buildings WHERE ST_DWithin(geom, s.geom, 0.00005) ORDER BY geom <-> s.geom LIMIT 1) b ON true
    LEFT JOIN compounds c ON c.id = b.compound_id
    WHERE s.role = 'party_household' AND s.geom IS NOT NULL
      AND (a.id = ${communityId} OR a.parent_id = ${communityId} OR a.parent_id IN (SELECT id FROM areas WHERE parent_id = ${communityId}))
    ORDER BY s.geom <-> me.p LIMIT 1`);
  return row ? { name: row.name, phone: row.phone, address: row.address, distanceMeters: Number(row.meters) } : null;
}

const openList = sql.join(openStatuses.map((s) => sql`${s}`), sql`, `);

export function areaRoutes(database: Database) {
  const app = new Hono();

  app.get('/areas/:id', async (c) => {
    const [area] = await database.rows<Record<string, any>>(sql`
      SELECT a.id, a.name, a.level, a.kind, a.parent_id AS "parentId", p.name AS "parentName"
      FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = ${c.req.param('id')}`);
    if (!area) throw new ApiError(404, `no area '${c.req.param('id')}'`);
    const column = { street: sql`street_id`, community: sql`community_id`, grid: sql`grid_id`, microgrid: sql`microgrid_id` }[area.level as string]!;
    const [counts] = await database.rows<{ open: number; total: number }>(sql`
      SELECT count(*) FILTER (WHERE status IN (${openList}))::int AS open, count(*)::int AS total
      FROM requests WHERE ${column} = ${area.id}`);
    const team = await publicTeam(database, [area.id]);
    return c.json({ ...area, team: team.map(({ areaId: _, ...m }) => m), openRequests: counts.open, totalRequests: counts.total });
  });

  app.get('/locate', async (c) => {
    const { lon, lat } = pointParams({ lon: c.req.query('lon'), lat: c.req.query('lat') });
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
    return c.json({ ...result, team, partyHousehold });
  });

  return app;
}
