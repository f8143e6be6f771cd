import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin } from '../auth/session.ts';
import type { Keeper } from './scope.ts';

// What the lists' forms choose from: the grids the keeper writes needs and wishes in, and the
// service points inside their community (or street) that a resource can be placed at.

export async function listPlaces(database: Database, k: Keeper) {
  const all = installationAdmin(k);
  const within = all ? sql`TRUE` : k.areaLevel === 'district' ? sql`c.parent_id IN (SELECT id FROM areas WHERE parent_id = ${k.areaId})`
    : k.areaLevel === 'street' ? sql`c.parent_id = ${k.street}` : k.areaLevel === 'community' ? sql`c.id = ${k.community}` : sql`g.id = ${k.grid}`;
  const grids = await database.rows<{ id: string; name: string; community_id: string; community_name: string }>(sql`
    SELECT g.id, g.name, c.id AS community_id, c.name AS community_name
    FROM areas g JOIN areas c ON c.id = g.parent_id WHERE g.level = 'grid' AND ${within} ORDER BY g.id`);
  const area = all ? null : k.areaLevel === 'district' ? k.areaId : k.areaLevel === 'street' ? k.street : k.community;
  const pois = await database.rows<{ id: string; name: string; category: string }>(sql`
    SELECT p.id, p.name, p.category FROM pois p
    WHERE ${area === null ? sql`TRUE` : sql`EXISTS (SELECT 1 FROM areas a WHERE a.id = ${area} AND ST_Covers(a.geom, p.geom))`}
    ORDER BY p.id LIMIT 500`);
  return {
    grids: grids.map((g) => ({ id: g.id, name: g.name, communityId: g.community_id, communityName: g.community_name })),
    pois: pois.map((p) => ({ id: p.id, name: p.name, category: p.category })),
  };
}
