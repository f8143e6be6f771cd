import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { openStatusSql } from '../db/open-status.ts';
import { areaLevels, type AreaLevel } from '../contract/vocabulary.ts';
import type { Bbox } from '../geo/bbox.ts';
import { areaAndBelow } from '../geo/area-tree.ts';
import { inPublicBox, publicPointSql, publicPrecisionDegrees } from '../loop/public-point.ts';
import { areaFilter } from './viewer.ts';

// The closed requests a map view counts (issue 12 §2): those filed on a range of days, by area and
// in the view's box, read from day_counts (migration day_counts: per community and the levels
// above, per day, kept by a trigger in the writing transaction) instead of counting a county's tens
// of thousands of rows.
//
// In the box, a request counts where its PUBLIC point is (api/loop/public-point.ts), as markers are
// drawn. A community whose outline lies inside the box shrunk by the public point's snap (and a
// margin for rounding) has every public point of its requests inside the box: its days are summed.
// One inside the box grown by the snap has them all inside but those its snap moves across an edge:
// its days are summed, less those found along the edges (GiST, thin strips). A community across
// the box has its requests of those days counted one by one on (community_id, created_at); so do
// the few requests outside every community. This relies on what
// assign_point makes true and area imports keep true (api/import/areas.ts reassigns): a request
// lies inside its community's outline. Grids are counted row by row: a grid has about one closed
// request a day, so daily sums would be as many rows as the requests.

/** Closed requests filed in these Asia/Shanghai days (YYYY-MM-DD, both inclusive). */
export type Days = { from: string; to: string };

const open = openStatusSql();
/** the snap of a public point, plus a margin far above a double's rounding at these magnitudes */
const snap = publicPrecisionDegrees / 2 + 1e-9;
const dayStart = (day: string, plus = 0) => sql`((${day}::date + ${plus}::int)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
export const filedOn = (days: Days): SQL => sql`r.created_at >= ${dayStart(days.from)} AND r.created_at < ${dayStart(days.to, 1)}`;

/**
 * Whether day_counts keeps the daily sums of `area` (null: the whole installation, '*'): a
 * community's and those of the levels above; a grid's few requests are counted row by row.
 */
export const summedByDay = (area: { level: AreaLevel } | null): boolean =>
  !area || areaLevels.indexOf(area.level) <= areaLevels.indexOf('community');

/** The closed requests of the area `areaId` (an id, or SQL naming one; '*': every area) filed on `days`, from the daily sums. */
export const closedSumSql = (areaId: string | SQL, days: Days): SQL => sql`(SELECT coalesce(sum(d.closed), 0)::int FROM day_counts d
  WHERE d.area_id = ${areaId} AND d.day BETWEEN ${days.from}::date AND ${days.to}::date)`;

/**
 * The closed requests filed on `days` whose public point lies in `bbox` (null: anywhere), of
 * `area` when given (a kiosk's, an asked area).
 */
export async function closedInBox(database: Database, bbox: Bbox | null, area: { id: string; level: AreaLevel } | null, days: Days): Promise<number> {
  const inArea = area ? areaFilter(area).where : sql`TRUE`;
  if (!summedByDay(area)) {
    // finer than the sums are kept by; a grid holds about one closed request a day
    const [row] = await database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM requests r WHERE ${inArea} AND ${filedOn(days)} AND NOT ${open} AND ${inPublicBox(bbox)}`);
    return Number(row.n);
  }
  if (!bbox) {
    const [row] = await database.rows<{ n: number }>(sql`SELECT ${closedSumSql(area?.id ?? '*', days)} AS n`);
    return Number(row.n);
  }
  const [w, s, e, n] = bbox;
  const envelope = (x0: number, y0: number, x1: number, y1: number) => sql`ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326)`;
  // inside: the box shrunk by the snap (empty when the box is narrower than two snaps) holds the outline
  const inside = w + snap < e - snap && s + snap < n - snap ? sql`a.geom @ ${envelope(w + snap, s + snap, e - snap, n - snap)}` : sql`FALSE`;
  // edge: the box grown by the snap holds it; of its requests only those along the box's four edges may snap out of it
  const grown = envelope(w - snap, s - snap, e + snap, n + snap);
  const alongEdges = sql`(r.geom && ${envelope(w - snap, s - snap, w + snap, n + snap)} OR r.geom && ${envelope(e - snap, s - snap, e + snap, n + snap)}
    OR r.geom && ${envelope(w - snap, s - snap, e + snap, s + snap)} OR r.geom && ${envelope(w - snap, n - snap, e + snap, n + snap)})`;
  const ofArea = !area ? sql`TRUE` : area.level === 'community' ? sql`a.id = ${area.id}` : sql`a.id IN ${areaAndBelow(area.id)}`;
  const [row] = await database.rows<{ summed: number; snappedOut: number; across: number; outside: number }>(sql`
    WITH c AS MATERIALIZED (
      SELECT a.id, CASE WHEN ${inside} THEN 'inside' WHEN a.geom @ ${grown} THEN 'edge' ELSE 'across' END AS place
      FROM areas a WHERE a.level = 'community' AND a.geom && ${grown} AND ${ofArea}),
    -- the closed requests of those days whose snap takes them out of the box: one pass over the strips
    out AS MATERIALIZED (
      SELECT r.community_id FROM requests r WHERE ${alongEdges} AND ${filedOn(days)} AND NOT ${open}
        AND NOT (${publicPointSql} && ${envelope(w, s, e, n)}))
    SELECT
      (SELECT coalesce(sum(d.closed), 0)::int FROM day_counts d
        WHERE d.area_id IN (SELECT id FROM c WHERE place <> 'across') AND d.day BETWEEN ${days.from}::date AND ${days.to}::date) AS summed,
      (SELECT count(*)::int FROM out WHERE out.community_id IN (SELECT id FROM c WHERE place = 'edge')) AS "snappedOut",
      (SELECT count(*)::int FROM requests r
        WHERE r.community_id IN (SELECT id FROM c WHERE place = 'across') AND ${filedOn(days)} AND NOT ${open} AND ${inPublicBox(bbox)}) AS across,
      (SELECT count(*)::int FROM requests r
        WHERE r.community_id IS NULL AND ${filedOn(days)} AND NOT ${open} AND ${inArea} AND ${inPublicBox(bbox)}) AS outside`);
  return Number(row.summed) - Number(row.snappedOut) + Number(row.across) + Number(row.outside);
}
