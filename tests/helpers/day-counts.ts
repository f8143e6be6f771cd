import { sql } from 'drizzle-orm';
import type { Database } from '../../api/db/client.ts';

/**
 * The rows where day_counts (kept by a trigger, or built after a bulk load) differs from a count
 * of the requests made here: closed by day filed, resolved still by day resolved, rated by day
 * rated, per community, the levels above and '*'. Empty when they agree.
 */
export function dayCountsDiffer(database: Database) {
  return database.rows(sql`
    WITH days AS (
      SELECT r.*, k.area_id FROM requests r
      CROSS JOIN LATERAL (VALUES ('*'), (r.district_id), (r.street_id), (r.community_id)) k(area_id)
      WHERE k.area_id IS NOT NULL
    ),
    plain AS (
      SELECT area_id, day, sum(closed)::int AS closed, sum(resolved)::int AS resolved, sum(rated)::int AS rated, sum(rating_sum)::int AS rating_sum
      FROM (
        SELECT area_id, (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 1 AS closed, 0 AS resolved, 0 AS rated, 0 AS rating_sum
        FROM days WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')
        UNION ALL SELECT area_id, (resolved_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 1, 0, 0
        FROM days WHERE status IN ('resolved', 'revisited', 'archived') AND resolved_at IS NOT NULL
        UNION ALL SELECT area_id, (rated_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 0, 1, rating FROM days WHERE rating IS NOT NULL
      ) x GROUP BY 1, 2
    ),
    kept AS (SELECT area_id, day, closed, resolved, rated, rating_sum FROM day_counts WHERE (closed, resolved, rated, rating_sum) <> (0, 0, 0, 0))
    SELECT * FROM plain FULL JOIN kept USING (area_id, day)
    WHERE (plain.closed, plain.resolved, plain.rated, plain.rating_sum) IS DISTINCT FROM (kept.closed, kept.resolved, kept.rated, kept.rating_sum)
    LIMIT 5`);
}
