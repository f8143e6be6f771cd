import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { areaLevels, assignedLevels, type AreaLevel } from '../contract/vocabulary.ts';
import { RequestView, type ViewArea } from '../contract/wire.ts';
import { openStatusSql } from '../db/open-status.ts';
import type { Bbox } from '../geo/bbox.ts';
import { overdueSql } from '../loop/deadlines.ts';
import { publicPointSql, publicPrecisionDegrees } from '../loop/public-point.ts';
import { readRequestRow, requestColumns, requestJoins, toPublicRequest } from '../loop/request-row.ts';
import { areaFilter } from './viewer.ts';

// The requests a map shows in its view (issue 12 §2), never one list of them all: open requests
// always, closed ones filed within a date range; single markers when they fit, newest first and
// at most `limit` of them (the page says so when more match), else counts per area at the zoom's
// level. Everything public: the point on the 0.001° grid, the public request's fields.

/** What a map asks for. */
export interface View {
  /** the visible box, or null: everywhere (in `area`) */
  bbox: Bbox | null;
  zoom: number;
  /** a kiosk's or an asked area: only its requests */
  area: { id: string; level: AreaLevel } | null;
  /** closed requests filed on these days (Asia/Shanghai, YYYY-MM-DD, inclusive); null: none */
  closed: { from: string; to: string } | null;
  /** most markers in one answer */
  limit: number;
}

export const markerLimit = 2000; // markers per answer unless asked for fewer; more match → counts or "newest N"
export const markerLimitMax = 5000;
/** zoom from which the view is always markers (a few blocks: the newest `limit` when more match) */
export const markerZoom = 16;
/** below this zoom the view is always counts per area */
export const areaZoom = 12;

/** The level counted at a zoom: streets for a county (its districts' streets), communities for a street, grids nearer. */
export const levelAt = (zoom: number): AreaLevel => assignedLevels[zoom < areaZoom ? 0 : zoom < 14 ? 1 : 2];

/** `r.street_id` … `r.microgrid_id`: each level's column on requests */
const levelColumn = (level: AreaLevel) => sql.raw(`r.${level}_id`);

const open = openStatusSql();
/** the local day's start, as timestamptz: the filter runs on `created_at` and its indexes */
const dayStart = (day: string, plus = 0) => sql`((${day}::date + ${plus}::int)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/** The view's box on the public point; `&&` on the exact point first (the GiST index), widened by the snap. */
function inBox(bbox: Bbox | null): SQL {
  if (!bbox) return sql`TRUE`;
  const [w, s, e, n] = bbox;
  const h = publicPrecisionDegrees / 2;
  return sql`r.geom && ST_MakeEnvelope(${w - h}, ${s - h}, ${e + h}, ${n + h}, 4326)
    AND ${publicPointSql} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;
}

/**
 * The requests shown, as `requests` rows: the open ones and the closed ones of the range, two
 * arms so that each uses its own index (open: the partial ones; closed: created_at).
 */
function shownSql(view: View, where: SQL): SQL {
  const inArea = view.area ? areaFilter(view.area).where : sql`TRUE`;
  const openArm = sql`SELECT r.* FROM requests r WHERE ${open} AND ${inArea} AND ${where}`;
  if (!view.closed) return openArm;
  return sql`${openArm} UNION ALL SELECT r.* FROM requests r WHERE NOT ${open} AND ${inArea} AND ${where}
    AND r.created_at >= ${dayStart(view.closed.from)} AND r.created_at < ${dayStart(view.closed.to, 1)}`;
}

const counts = sql`count(*) FILTER (WHERE ${open})::int AS open, count(*) FILTER (WHERE ${overdueSql()})::int AS overdue,
  count(*) FILTER (WHERE NOT ${open})::int AS closed`;

/** What the map shows in `view`. */
export async function requestsInView(database: Database, view: View): Promise<RequestView> {
  const bounds = view.area ? await extentOf(database, view.area.id) : null;
  const now = new Date().toISOString();
  if (view.zoom < areaZoom) {
    // always counts this far out: the view's total and each area's counts from one pass over the rows
    const { total, level, rows } = await areasInView(database, view);
    return RequestView.parse({ total, limit: view.limit, bounds, generatedAt: now, mode: 'areas', level, shown: 0, markers: [], areas: rows });
  }
  const [total] = await database.rows<{ open: number; overdue: number; closed: number }>(sql`
    SELECT ${counts} FROM (${shownSql(view, inBox(view.bbox))}) r`);
  const matched = Number(total.open) + Number(total.closed);
  const asMarkers = view.zoom >= markerZoom || matched <= view.limit;
  const answer = { total: { open: Number(total.open), overdue: Number(total.overdue), closed: Number(total.closed) }, limit: view.limit, bounds, generatedAt: now };

  if (asMarkers) {
    const rows = await database.rows(sql`
      SELECT ${requestColumns} FROM (${shownSql(view, inBox(view.bbox))}) r ${requestJoins}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${view.limit}`);
    const markers = rows.map(readRequestRow).map((row) => ({ id: row.ticket, ...toPublicRequest(row), lon: row.publicLon, lat: row.publicLat }));
    return RequestView.parse({ ...answer, mode: 'markers', level: null, shown: markers.length, markers, areas: [] });
  }

  const areas = await areasInView(database, view);
  return RequestView.parse({ ...answer, mode: 'areas', level: areas.level, shown: 0, markers: [], areas: areas.rows });
}

type Counts = { open: number; overdue: number; closed: number };

/**
 * Each area of the zoom's level touching the box, with the counts of all its requests (not only
 * those inside the box: a street's load is the street's), and the counts of the requests inside the
 * box (the view's total), from one pass over the rows: the open ones on their partial index, the
 * closed ones of the range on created_at; a million closed requests outside the range are not read.
 */
async function areasInView(database: Database, view: View): Promise<{ level: AreaLevel; rows: ViewArea[]; total: Counts }> {
  const wanted = levelAt(view.zoom);
  // a kiosk on a community counts that community, not the street around it
  const level = view.area && areaLevels.indexOf(view.area.level) > areaLevels.indexOf(wanted) ? view.area.level : wanted;
  const [w, s, e, n] = view.bbox ?? [-180, -90, 180, 90];
  const boxed = view.bbox ? inBox(view.bbox) : sql`TRUE`;
  const counted = await database.rows<Record<string, unknown>>(sql`
    SELECT ${levelColumn(level)} AS id, ${counts},
      count(*) FILTER (WHERE ${open} AND ${boxed})::int AS box_open, count(*) FILTER (WHERE ${overdueSql()} AND ${boxed})::int AS box_overdue,
      count(*) FILTER (WHERE NOT ${open} AND ${boxed})::int AS box_closed
    FROM (${shownSql(view, sql`TRUE`)}) r GROUP BY 1`);
  const inside = view.area
    ? sql`a.id IN (WITH RECURSIVE inside AS (SELECT id FROM areas WHERE id = ${view.area.id}
        UNION ALL SELECT c.id FROM areas c JOIN inside ON c.parent_id = inside.id) SELECT id FROM inside)`
    : sql`TRUE`;
  const areas = await database.rows<{ id: string; level: AreaLevel; name: string; lon: number; lat: number }>(sql`
    SELECT a.id, a.level, a.name, ST_X(p) AS lon, ST_Y(p) AS lat
    FROM areas a, LATERAL (SELECT COALESCE(a.label_point, ST_PointOnSurface(a.geom)) AS p) l
    WHERE a.level = ${level} AND a.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326) AND ${inside}
    ORDER BY a.id`);
  const byArea = new Map(counted.map((c) => [String(c.id), c]));
  const total: Counts = { open: 0, overdue: 0, closed: 0 };
  for (const c of counted) {
    total.open += Number(c.box_open);
    total.overdue += Number(c.box_overdue);
    total.closed += Number(c.box_closed);
  }
  return {
    level,
    total,
    rows: areas.map((a) => {
      const c = byArea.get(a.id);
      return {
        id: a.id, level: a.level, name: a.name, lon: Number(a.lon), lat: Number(a.lat),
        open: Number(c?.open ?? 0), overdue: Number(c?.overdue ?? 0), closed: Number(c?.closed ?? 0),
      };
    }),
  };
}

async function extentOf(database: Database, areaId: string): Promise<[number, number, number, number] | null> {
  const [b] = await database.rows<{ w: number | null; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM areas WHERE id = ${areaId}`);
  return b?.w == null ? null : [Number(b.w), Number(b.s), Number(b.e), Number(b.n)];
}
