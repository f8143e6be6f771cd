import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { areaLevels, assignedLevels, type AreaLevel } from '../contract/vocabulary.ts';
import { RequestView, type ViewArea } from '../contract/wire.ts';
import { openStatusSql } from '../db/open-status.ts';
import type { Bbox } from '../geo/bbox.ts';
import { overdueSql } from '../loop/deadlines.ts';
import { publicRequestColumns, readPublicRow, toPublicRequest } from '../loop/request-row.ts';
import { closedInBox, closedSumSql, filedOn } from './closed-count.ts';
import { areaAndBelow } from '../geo/area-tree.ts';
import { inPublicBox } from '../loop/public-point.ts';
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

/**
 * The requests shown, as `requests` rows: the open ones and the closed ones of the range, two
 * arms so that each uses its own index (open: the partial ones; closed: created_at).
 */
function shownSql(view: View, where: SQL): SQL {
  const inArea = view.area ? areaFilter(view.area).where : sql`TRUE`;
  const openArm = sql`SELECT r.* FROM requests r WHERE ${open} AND ${inArea} AND ${where}`;
  if (!view.closed) return openArm;
  return sql`${openArm} UNION ALL SELECT r.* FROM requests r WHERE NOT ${open} AND ${inArea} AND ${where} AND ${filedOn(view.closed)}`;
}

type Counts = { open: number; overdue: number; closed: number };

/**
 * The view's total: its open requests counted row by row (a few thousand in a county, on their
 * partial indexes), its closed ones of the range from the daily sums (./closed-count.ts).
 */
async function totalInView(database: Database, view: View): Promise<Counts> {
  const inArea = view.area ? areaFilter(view.area).where : sql`TRUE`;
  const [[opened], closed] = await Promise.all([
    database.rows<{ open: number; overdue: number }>(sql`
      SELECT count(*)::int AS open, count(*) FILTER (WHERE ${overdueSql()})::int AS overdue
      FROM requests r WHERE ${open} AND ${inArea} AND ${inPublicBox(view.bbox)}`),
    view.closed ? closedInBox(database, view.bbox, view.area, view.closed) : 0,
  ]);
  return { open: Number(opened.open), overdue: Number(opened.overdue), closed };
}

/** What the map shows in `view`. */
export async function requestsInView(database: Database, view: View): Promise<RequestView> {
  const bounds = view.area ? await extentOf(database, view.area.id) : null;
  const now = new Date().toISOString();
  if (view.zoom < areaZoom) {
    // always counts this far out: the open ones of the box from the areas' own pass over the open rows
    const [areas, closed] = await Promise.all([areasInView(database, view), view.closed ? closedInBox(database, view.bbox, view.area, view.closed) : 0]);
    return RequestView.parse({ total: { ...areas.openInBox, closed }, limit: view.limit, bounds, generatedAt: now, mode: 'areas', level: areas.level,
      shown: 0, markers: [], areas: areas.rows });
  }
  const total = await totalInView(database, view);
  const matched = total.open + total.closed;
  const asMarkers = view.zoom >= markerZoom || matched <= view.limit;
  const answer = { total, limit: view.limit, bounds, generatedAt: now };

  if (asMarkers) {
    const rows = await database.rows(sql`
      SELECT ${publicRequestColumns} FROM (${shownSql(view, inPublicBox(view.bbox))}) r
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${view.limit}`);
    const markers = rows.map(readPublicRow).map((row) => ({ id: row.ticket, ...toPublicRequest(row), lon: row.publicLon, lat: row.publicLat }));
    return RequestView.parse({ ...answer, mode: 'markers', level: null, shown: markers.length, markers, areas: [] });
  }

  const areas = await areasInView(database, view);
  return RequestView.parse({ ...answer, mode: 'areas', level: areas.level, shown: 0, markers: [], areas: areas.rows });
}

/**
 * Each area of the zoom's level touching the box, with the counts of all its requests (not only
 * those inside the box: a street's load is the street's): the open ones from one pass over the open
 * rows, which also counts those of the box (the view's open total), the closed ones of the range
 * from the daily sums (grids: their rows).
 */
async function areasInView(database: Database, view: View): Promise<{ level: AreaLevel; rows: ViewArea[]; openInBox: { open: number; overdue: number } }> {
  const wanted = levelAt(view.zoom);
  // a kiosk on a community counts that community, not the street around it
  const level = view.area && areaLevels.indexOf(view.area.level) > areaLevels.indexOf(wanted) ? view.area.level : wanted;
  const [w, s, e, n] = view.bbox ?? [-180, -90, 180, 90];
  const inArea = view.area ? areaFilter(view.area).where : sql`TRUE`;
  const inside = view.area ? sql`a.id IN ${areaAndBelow(view.area.id)}` : sql`TRUE`;
  // closed of the range: a community's and a street's from the daily sums, a grid's row by row on (grid_id, created_at)
  const closed = !view.closed ? sql`0`
    : areaLevels.indexOf(level) <= areaLevels.indexOf('community')
      ? closedSumSql(sql`a.id`, view.closed)
      : sql`(SELECT count(*) FROM requests r WHERE ${levelColumn(level)} = a.id AND ${filedOn(view.closed)} AND NOT ${open})`;
  const [opened, areas] = await Promise.all([
    database.rows<{ id: string; open: number; overdue: number; box_open: number; box_overdue: number }>(sql`
      SELECT ${levelColumn(level)} AS id, count(*)::int AS open, count(*) FILTER (WHERE ${overdueSql()})::int AS overdue,
        count(*) FILTER (WHERE ${inPublicBox(view.bbox)})::int AS box_open, count(*) FILTER (WHERE ${overdueSql()} AND ${inPublicBox(view.bbox)})::int AS box_overdue
      FROM requests r WHERE ${open} AND ${inArea} GROUP BY 1`),
    database.rows<{ id: string; level: AreaLevel; name: string; lon: number; lat: number; closed: number }>(sql`
      SELECT a.id, a.level, a.name, ST_X(p) AS lon, ST_Y(p) AS lat, ${closed}::int AS closed
      FROM areas a, LATERAL (SELECT COALESCE(a.label_point, ST_PointOnSurface(a.geom)) AS p) l
      WHERE a.level = ${level} AND a.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326) AND ${inside}
      ORDER BY a.id`),
  ]);
  const byArea = new Map(opened.map((c) => [String(c.id), c]));
  return {
    level,
    openInBox: { open: opened.reduce((n, c) => n + Number(c.box_open), 0), overdue: opened.reduce((n, c) => n + Number(c.box_overdue), 0) },
    rows: areas.map((a) => {
      const c = byArea.get(a.id);
      return {
        id: a.id, level: a.level, name: a.name, lon: Number(a.lon), lat: Number(a.lat),
        open: Number(c?.open ?? 0), overdue: Number(c?.overdue ?? 0), closed: Number(a.closed),
      };
    }),
  };
}

async function extentOf(database: Database, areaId: string): Promise<[number, number, number, number] | null> {
  const [b] = await database.rows<{ w: number | null; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM areas WHERE id = ${areaId}`);
  return b?.w == null ? null : [Number(b.w), Number(b.s), Number(b.e), Number(b.n)];
}
