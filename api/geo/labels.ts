import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/**
 * Places the name of each area at the centre of its widest inscribed circle — inside the area
 * even when it is L-shaped, where a centroid may fall outside. Run when boundaries are written
 * (demo load, import): at a county's 38k areas it takes seconds, too long for every start.
 */
export async function placeAreaLabels(db: Db, ids?: string[]): Promise<void> {
  const only = ids ? sql`WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  if (ids && !ids.length) return;
  await db.execute(sql`UPDATE areas SET label_point = (ST_MaximumInscribedCircle(geom)).center ${only}`);
}
