import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

// Where the map's street is, seen from a point outside it: for a pin dropped off the map, so the
// resident is told which way to move it and how far, not just that it is wrong (issue 10, item 2).

export const compassPoints = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type CompassPoint = (typeof compassPoints)[number];

export type StreetHint = { street: string; direction: CompassPoint; meters: number };

/** The nearest street's name, the direction from the point to its edge and the distance (m); null without streets. */
export async function whereStreetIs(database: Pick<Database, 'rows'>, lon: number, lat: number): Promise<StreetHint | null> {
  const [row] = await database.rows<{ name: string; lon: number; lat: number; meters: number }>(sql`
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS pt),
    near AS (SELECT a.name, ST_ClosestPoint(a.geom, p.pt) AS c, p.pt FROM areas a, p WHERE a.level = 'street' ORDER BY a.geom <-> p.pt LIMIT 1)
    SELECT name, ST_X(c) AS lon, ST_Y(c) AS lat, ST_DistanceSphere(pt, c) AS meters FROM near`);
  if (!row) return null;
  // east-west degrees shrink with latitude: scale them before taking the angle
  const dx = (Number(row.lon) - lon) * Math.cos((lat * Math.PI) / 180);
  const dy = Number(row.lat) - lat;
  const bearing = (Math.atan2(dx, dy) * 180) / Math.PI; // 0 = north, clockwise
  const direction = compassPoints[Math.round((((bearing % 360) + 360) % 360) / 45) % 8];
  return { street: row.name, direction, meters: Math.round(Number(row.meters)) };
}
