import { sql, type SQL } from 'drizzle-orm';

/** The ids of an area and every area below it (children, grandchildren, …), as a subquery for `IN`. */
export const areaAndBelow = (areaId: string): SQL => sql`(WITH RECURSIVE below(id) AS (
    SELECT id FROM areas WHERE id = ${areaId}
    UNION ALL SELECT a.id FROM areas a JOIN below b ON a.parent_id = b.id
  ) SELECT id FROM below)`;
