import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { refusedStatuses, resolvedStatuses, type AreaLevel } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';
import { loadEvents, publicEvent } from './event-rows.ts';
import { openSql, overdueSql, todayStartSql } from './overdue.ts';
import { areaFilter } from './viewer.ts';

/**
 * The wall screen's numbers, and the API's: one module, so the screen shows exactly what
 * `GET /api/stats` answers. Days are Asia/Shanghai days.
 *
 * - today.new: requests filed since local midnight
 * - today.claimed: requests taken up since midnight (a move out of `collected` into the work:
 *   claim or dispatch)
 * - today.resolved: requests that reached resolved (or beyond) since midnight, from an unresolved state,
 *   and are still resolved or closed: one a resident reopened (居民不满意) is not counted as done
 * - today.overdue: open requests past their deadline now
 * - today.satisfaction: mean rating (1–5) of requests rated in the last 30 days, null if none
 *   (`ratings`: how many)
 * - trend: the last 30 days, oldest first, with new and resolved as above (resolved that day and still so)
 * - grids: every grid in the area with its open and overdue requests, and `load` ∈ [0, 1]:
 *   (open + overdue) relative to the busiest grid (an overdue request weighs twice)
 * - latest: the 20 newest events, public fields only
 */
export type Stats = Awaited<ReturnType<typeof loadStats>>;

const resolvedStates = sqlList(resolvedStatuses);
/** an event that takes a request from collected into the work (claim or dispatch) */
const takenUp = sql`(e.from_status = 'collected' AND e.to_status NOT IN ${sqlList(['collected', ...refusedStatuses])})`;
/** an event that brings a request to resolved or beyond, from a state before it */
const reachesResolved = sql`(e.to_status IN ${resolvedStates} AND (e.from_status IS NULL OR e.from_status NOT IN ${resolvedStates}))`;
/** the request is resolved or closed now (a reopened one is being worked on again) */
const stillResolved = sql`r.status IN ${resolvedStates}`;

export async function loadStats(database: Database, area: { id: string; level: AreaLevel } | null) {
  const inArea: SQL = area ? areaFilter(area).where : sql`TRUE`;
  const int = (v: unknown) => Number(v ?? 0);

  const [today] = await database.rows<Record<string, unknown>>(sql`
    SELECT
      (SELECT count(*) FROM requests r WHERE ${inArea} AND r.created_at >= ${todayStartSql}) AS new,
      (SELECT count(DISTINCT e.request_id) FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE ${inArea} AND e.at >= ${todayStartSql} AND ${takenUp}) AS claimed,
      (SELECT count(DISTINCT e.request_id) FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE ${inArea} AND e.at >= ${todayStartSql} AND ${reachesResolved} AND ${stillResolved}) AS resolved,
      (SELECT count(*) FROM requests r WHERE ${inArea} AND ${overdueSql}) AS overdue,
      (SELECT count(*) FROM requests r WHERE ${inArea} AND ${openSql}) AS open`);

  // a rating's time is its audit event ('rated', or 'reopened' for a poor one); updated_at for older rows
  const [satisfaction] = await database.rows<Record<string, unknown>>(sql`
    WITH rated AS (
      SELECT r.rating, COALESCE((SELECT max(e.at) FROM request_events e
        WHERE e.request_id = r.id AND e.action IN ('rated', 'reopened')), r.updated_at) AS at
      FROM requests r WHERE ${inArea} AND r.rating IS NOT NULL
    )
    SELECT round(avg(rating)::numeric, 2)::float8 AS mean, count(*) AS n FROM rated WHERE at >= now() - interval '30 days'`);

  const trend = await database.rows<Record<string, unknown>>(sql`
    WITH days AS (
      SELECT d::date AS day FROM generate_series(
        (now() AT TIME ZONE 'Asia/Shanghai')::date - 29, (now() AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') d
    ),
    filed AS (
      SELECT (r.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n FROM requests r
      WHERE ${inArea} AND r.created_at >= ${todayStartSql} - interval '29 days' GROUP BY 1
    ),
    done AS (
      SELECT day, count(DISTINCT request_id) AS n FROM (
        SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date AS day, e.request_id FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE ${inArea} AND e.at >= ${todayStartSql} - interval '29 days' AND ${reachesResolved} AND ${stillResolved}) x GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS date, COALESCE(filed.n, 0) AS new, COALESCE(done.n, 0) AS resolved
    FROM days LEFT JOIN filed ON filed.day = days.day LEFT JOIN done ON done.day = days.day
    ORDER BY days.day`);

  const grids = await database.rows<Record<string, unknown>>(sql`
    SELECT g.id, g.name, g.parent_id,
      (SELECT count(*) FROM requests r WHERE r.grid_id = g.id AND ${openSql}) AS open,
      (SELECT count(*) FROM requests r WHERE r.grid_id = g.id AND ${overdueSql}) AS overdue
    FROM areas g
    WHERE g.level = 'grid' AND ${gridsIn(area)}
    ORDER BY g.id`);
  const weight = (g: Record<string, unknown>) => int(g.open) + int(g.overdue);
  const busiest = Math.max(0, ...grids.map(weight));

  const latest = await loadEvents(database, inArea, { limit: 20, newest: true });

  return {
    areaId: area?.id ?? null,
    generatedAt: new Date().toISOString(),
    today: {
      new: int(today.new),
      claimed: int(today.claimed),
      resolved: int(today.resolved),
      overdue: int(today.overdue),
      open: int(today.open),
      satisfaction: satisfaction.mean === null || satisfaction.mean === undefined ? null : Number(satisfaction.mean),
      ratings: int(satisfaction.n),
    },
    trend: trend.map((d) => ({ date: String(d.date), new: int(d.new), resolved: int(d.resolved) })),
    grids: grids.map((g) => ({
      id: String(g.id),
      name: String(g.name),
      communityId: (g.parent_id as string | null) ?? null,
      open: int(g.open),
      overdue: int(g.overdue),
      load: busiest === 0 ? 0 : Math.round((weight(g) / busiest) * 100) / 100,
    })),
    latest: latest.map(publicEvent),
  };
}

/** Grids inside an area of any level: the street's, the community's, the grid itself, a micro-grid's grid. */
function gridsIn(area: { id: string; level: string } | null): SQL {
  if (!area) return sql`TRUE`;
  switch (area.level) {
    case 'district': return sql`g.parent_id IN (SELECT id FROM areas WHERE parent_id IN (SELECT id FROM areas WHERE parent_id = ${area.id}))`;
    case 'street': return sql`g.parent_id IN (SELECT id FROM areas WHERE parent_id = ${area.id})`;
    case 'community': return sql`g.parent_id = ${area.id}`;
    case 'grid': return sql`g.id = ${area.id}`;
    default: return sql`g.id = (SELECT parent_id FROM areas WHERE id = ${area.id})`;
  }
}
