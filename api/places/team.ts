import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { teamRoles } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

/** A grid team's public contacts: only phones the staff member agreed to publish. */
export async function publicTeam(database: Database, areaIds: string[]) {
  if (!areaIds.length) return [];
  return database.rows<{ name: string; role: string; phone: string | null; areaId: string }>(sql`
    SELECT s.name, s.role, CASE WHEN s.phone_public THEN s.phone END AS phone, s.area_id AS "areaId"
    FROM staff s WHERE s.area_id IN ${sqlList(areaIds)} AND s.role IN ${sqlList(teamRoles)}
    ORDER BY array_position(ARRAY[${sql.join(teamRoles.map((r) => sql`${r}`), sql`, `)}]::text[], s.role), s.id`);
}

/**
 * The nearest party household (党员中心户) of the resident's community: they relay needs for the
 * homes around them and are publicly designated, so name and building are shown; the phone only
 * when they agreed to publish it.
 */
export async function nearestPartyHousehold(database: Database, lon: number, lat: number, communityId: string) {
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

