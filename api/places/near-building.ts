import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { BuildingRef } from '../contract/wire.ts';

/**
 * The building nearest a point, within `meters` (50 by default), with its number and compound:
 * how a worker in the street finds "35.22423, 113.22611". A box on the buildings' GiST index
 * first, then KNN (`<->`, exact distance on the index) for the nearest, then metres on the ellipsoid.
 */
export async function nearBuilding(database: Database, lon: number, lat: number, meters = 50): Promise<BuildingRef | null> {
  const [row] = await database.rows<{ id: string; number: string | null; name: string | null; compound: string | null; distance: number }>(sql`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS geom)
    SELECT b.id, b.number, b.name, c.name AS compound, ST_Distance(b.geom::geography, pt.geom::geography) AS distance
    FROM pt, buildings b LEFT JOIN compounds c ON c.id = b.compound_id
    WHERE b.geom && ST_Expand(pt.geom, ${meters / 40_000}) -- a degree is ≥ 40 km everywhere in China
    ORDER BY b.geom <-> pt.geom
    LIMIT 1`);
  if (!row || Number(row.distance) > meters) return null;
  return { id: row.id, number: row.number, name: row.name, compound: row.compound, distanceMeters: Math.round(Number(row.distance)) };
}
