import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { refusedStatuses, resolvedStatuses, type AreaLevel, type UnitLevel } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';
import { summedByDay } from './closed-count.ts';
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
 * - today.resolved: requests resolved since midnight and resolved (or closed) still: one a resident
 *   reopened (居民不满意) is not counted as done; one resolved, reopened and resolved again counts on
 *   the day of its last resolution (`resolved_at`, which a reopening clears)
 * - today.overdue: open requests past their deadline now
 * - today.satisfaction: mean rating (1–5) of the requests rated in the 30 days of the trend (the
 *   rating they hold, given then: `rated_at`), null if none (`ratings`: how many)
 * - trend: the last 30 days (today and the 29 before), oldest first, with new and resolved as above
 * - unitLevel, units: what the screen shades and tours — every grid of a street's or a community's
 *   screen; a district's (or a whole county's) streets instead, since its thousands of grids are
 *   too small to read at that scale and its staff drill down street by street. Each unit with its
 *   open and overdue requests, and `load` ∈ [0, 1]: (open + overdue) relative to the busiest unit
 *   (an overdue request weighs twice)
 * - latest: the 20 newest events, public fields only
 * - areaName, parent: the area's name and the area above it (the screen's way back up)
 *
 * Resolved and rated per day come from day_counts (migration day_counts, kept in the writing
 * transaction) for a community, the levels above and the whole installation: a county's month is
 * 80,000 resolutions, read from its rows in 0.2–0.5 s; a grid's few are counted from its rows.
 */
export type Stats = Awaited<ReturnType<typeof loadStats>>;

const resolvedStates = sqlList(resolvedStatuses);
/** an event that takes a request from collected into the work (claim or dispatch) */
const takenUp = sql`(e.from_status = 'collected' AND e.to_status NOT IN ${sqlList(['collected', ...refusedStatuses])})`;
/** the request is resolved or closed now (a reopened one is being worked on again) */
const stillResolved = sql`r.status IN ${resolvedStates}`;
/** the first of the 30 days of the trend and of the satisfaction, and its start */
const firstDay = sql`((now() AT TIME ZONE 'Asia/Shanghai')::date - 29)`;
const firstDayStart = sql`(${todayStartSql} - interval '29 days')`;

const shareMs = 30_000;
const shared = new WeakMap<Database, Map<string, { key: string; at: number; figures: Promise<Stats> }>>();

/**
 * The figures as `loadStats`, computed once for every screen that asks while nothing was written:
 * the key is the next transaction id (`pg_snapshot_xmax`), which every committed write moves on,
 * and an answer is kept at most 30 s (overdue and today move on with the clock). A county's
 * screens all reload after the same event; one computation serves them (at a million requests it
 * takes seconds on the embedded engine).
 */
export async function sharedStats(database: Database, area: { id: string; level: AreaLevel } | null): Promise<Stats> {
  const [{ key }] = await database.rows<{ key: string }>(sql`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS key`);
  let byArea = shared.get(database);
  if (!byArea) shared.set(database, (byArea = new Map()));
  const name = area?.id ?? '';
  const kept = byArea.get(name);
  if (kept && kept.key === key && Date.now() - kept.at < shareMs) return kept.figures;
  const figures = loadStats(database, area);
  byArea.set(name, { key, at: Date.now(), figures });
  figures.catch(() => { if (byArea.get(name)?.figures === figures) byArea.delete(name); });
  return figures;
}

export async function loadStats(database: Database, area: { id: string; level: AreaLevel } | null) {
  const inArea: SQL = area ? areaFilter(area).where : sql`TRUE`;
  const int = (v: unknown) => Number(v ?? 0);

  const unitLevel = await unitLevelOf(database, area);
  const column = sql.raw(`r.${unitLevel}_id`);
  // the parts are independent: on PostgreSQL each runs on its own connection, side by side; nothing
  // is awaited between starting them and Promise.all, so a failing part is always handled
  // overdue only while open: counted among the open ones (their partial index), not over every row
  const todayPart = database.rows<Record<string, unknown>>(sql`
    SELECT
      (SELECT count(*) FROM requests r WHERE ${inArea} AND r.created_at >= ${todayStartSql}) AS new,
      (SELECT count(DISTINCT e.request_id) FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE ${inArea} AND e.at >= ${todayStartSql} AND ${takenUp}) AS claimed,
      o.open, o.overdue
    FROM (SELECT count(*) AS open, count(*) FILTER (WHERE ${overdueSql}) AS overdue FROM requests r WHERE ${inArea} AND ${openSql}) o`);

  const trendPart = database.rows<{ date: string; new: unknown }>(sql`
    WITH days AS (
      SELECT d::date AS day FROM generate_series(${firstDay}, (now() AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') d
    ),
    filed AS (
      SELECT (r.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n FROM requests r
      WHERE ${inArea} AND r.created_at >= ${firstDayStart} GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS date, COALESCE(filed.n, 0) AS new
    FROM days LEFT JOIN filed ON filed.day = days.day
    ORDER BY days.day`);
  // per day of the 30: resolved that day and resolved still; rated that day, and the ratings' sum
  const dailyPart = database.rows<{ date: string; resolved: unknown; rated: unknown; rating_sum: unknown }>(summedByDay(area)
    ? sql`SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.resolved, d.rated, d.rating_sum FROM day_counts d
        WHERE d.area_id = ${area?.id ?? '*'} AND d.day >= ${firstDay}`
    : sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS date, sum(resolved) AS resolved, sum(rated) AS rated, sum(rating_sum) AS rating_sum FROM (
        SELECT (r.resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 1 AS resolved, 0 AS rated, 0 AS rating_sum FROM requests r
          WHERE ${inArea} AND ${stillResolved} AND r.resolved_at >= ${firstDayStart}
        UNION ALL
        SELECT (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 1, r.rating FROM requests r
          WHERE ${inArea} AND r.rating IS NOT NULL AND r.rated_at >= ${firstDayStart}
      ) x GROUP BY day`);

  // one pass over the open requests (the partial index), then every unit, those without any too
  const unitsPart = database.rows<Record<string, unknown>>(sql`
    WITH counts AS (
      SELECT ${column} AS id, count(*) AS open, count(*) FILTER (WHERE ${overdueSql}) AS overdue
      FROM requests r WHERE ${inArea} AND ${openSql} GROUP BY 1
    )
    SELECT u.id, u.name, u.parent_id, coalesce(c.open, 0) AS open, coalesce(c.overdue, 0) AS overdue
    FROM areas u LEFT JOIN counts c ON c.id = u.id
    WHERE u.level = ${unitLevel} AND ${unitsIn(area, unitLevel)}
    ORDER BY u.id`);
  const namedPart = area ? database.rows<{ name: string; parent_id: string | null; parent_name: string | null }>(sql`
    SELECT a.name, p.id AS parent_id, p.name AS parent_name FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = ${area.id}`) : Promise.resolve([]);
  const latestPart = loadEvents(database, inArea, { limit: 20, newest: true });

  const [[today], trend, daily, units, [named], latest] = await Promise.all([todayPart, trendPart, dailyPart, unitsPart, namedPart, latestPart]);
  const byDate = new Map(daily.map((d) => [d.date, d]));
  const resolvedOn = (date: string) => int(byDate.get(date)?.resolved);
  const rated = daily.reduce((n, d) => n + int(d.rated), 0);
  const ratingSum = daily.reduce((n, d) => n + int(d.rating_sum), 0);
  const weight = (g: Record<string, unknown>) => int(g.open) + int(g.overdue);
  const busiest = Math.max(0, ...units.map(weight));

  return {
    areaId: area?.id ?? null,
    areaName: named?.name ?? null,
    /** the area one level up, for the screen's way back up (a drilled-down staff screen) */
    parent: named?.parent_id ? { id: named.parent_id, name: String(named.parent_name) } : null,
    generatedAt: new Date().toISOString(),
    today: {
      new: int(today.new),
      claimed: int(today.claimed),
      resolved: resolvedOn(trend[trend.length - 1].date),
      overdue: int(today.overdue),
      open: int(today.open),
      satisfaction: rated === 0 ? null : Math.round((ratingSum * 100) / rated) / 100, // exact: a half is a half
      ratings: rated,
    },
    trend: trend.map((d) => ({ date: d.date, new: int(d.new), resolved: resolvedOn(d.date) })),
    unitLevel,
    units: units.map((g) => ({
      id: String(g.id),
      name: String(g.name),
      parentId: (g.parent_id as string | null) ?? null,
      open: int(g.open),
      overdue: int(g.overdue),
      load: busiest === 0 ? 0 : Math.round((weight(g) / busiest) * 100) / 100,
    })),
    latest: latest.map(publicEvent),
  };
}

/** Streets for a district's screen, and for one of the whole installation when it holds districts; grids otherwise. */
async function unitLevelOf(database: Database, area: { level: AreaLevel } | null): Promise<UnitLevel> {
  if (area) return area.level === 'district' ? 'street' : 'grid';
  const [row] = await database.rows<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM areas WHERE level = 'district') AS any`);
  return row.any ? 'street' : 'grid';
}

/** The units inside an area of any level: a district's streets; the street's, the community's grids, the grid itself, a micro-grid's grid. */
function unitsIn(area: { id: string; level: string } | null, unitLevel: UnitLevel): SQL {
  if (!area) return sql`TRUE`;
  if (unitLevel === 'street') return sql`u.parent_id = ${area.id}`;
  switch (area.level) {
    case 'street': return sql`u.parent_id IN (SELECT id FROM areas WHERE parent_id = ${area.id})`;
    case 'community': return sql`u.parent_id = ${area.id}`;
    case 'grid': return sql`u.id = ${area.id}`;
    default: return sql`u.id = (SELECT parent_id FROM areas WHERE id = ${area.id})`;
  }
}
