import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin, type StaffUser } from '../auth/session.ts';
import { ApiError, forbidden } from '../errors.ts';
import type { Patrol, TrackInput } from '../contract/visits.ts';
import { areaScopeSql, areasAbove } from './scope.ts';
import { toVisitRow, visitRowsSql, type VisitRowRow } from './visit-row.ts';

// A patrol (巡查; docs/visits.md): a worker starts a walk, the page sends the phone's positions
// while it is open (with the worker's consent, asked by the browser), findings are logged on it,
// and the worker stops it. The positions are exact places: staff in scope only, never logged;
// the track is their line in time order (ST_MakeLine), made when read.

type PatrolRow = { id: number; worker_id: string; ended_at: string | null; street_id: string | null; community_id: string | null; grid_id: string | null };

/** Starts a walk in the worker's areas; a walk already open is answered instead (`created: false`) — one at a time. */
export async function startPatrol(database: Database, user: StaffUser): Promise<{ id: number; created: boolean }> {
  const [open] = await database.rows<{ id: number }>(sql`SELECT id FROM patrols WHERE worker_id = ${user.staffId} AND ended_at IS NULL ORDER BY id DESC LIMIT 1`);
  if (open) return { id: Number(open.id), created: false };
  const place = await areasAbove(database, user.areaId);
  const [row] = await database.rows<{ id: number }>(sql`
    WITH p AS (
      INSERT INTO patrols (worker_id, street_id, community_id, grid_id) VALUES (${user.staffId}, ${place.street_id}, ${place.community_id}, ${place.grid_id})
      RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${user.username || user.staffId}, 'patrol_started', 'patrol:' || id FROM p)
    SELECT id FROM p`);
  return { id: Number(row.id), created: true };
}

async function patrolRow(database: Database, id: number): Promise<PatrolRow> {
  const [row] = await database.rows<PatrolRow>(sql`SELECT id, worker_id, to_json(ended_at) #>> '{}' AS ended_at, street_id, community_id, grid_id FROM patrols WHERE id = ${id}`);
  if (!row) throw new ApiError('patrol_not_found', `no patrol ${id}`, { id });
  return row;
}

/** The worker's own walk, still open: else 404, 403 (someone else's) or 409 (stopped). */
export async function requireOpenPatrol(database: Database, user: StaffUser, id: number): Promise<PatrolRow> {
  const row = await patrolRow(database, id);
  if (row.worker_id !== user.staffId) throw new ApiError('not_your_patrol', `patrol ${id} is another worker's`);
  if (row.ended_at) throw new ApiError('patrol_ended', `patrol ${id} has ended`, { id });
  return row;
}

/** Adds positions to the walker's open patrol; answers how many it has. Positions in the future are refused. */
export async function addTrack(database: Database, user: StaffUser, id: number, input: TrackInput): Promise<{ points: number }> {
  await requireOpenPatrol(database, user, id);
  const late = input.points.findIndex((p) => Date.parse(p.at) > Date.now() + 5 * 60_000);
  if (late >= 0) throw new ApiError('invalid_value', 'a position cannot be in the future', { field: `points.${late}.at` });
  const values = sql.join(input.points.map((p) => sql`(${id}::int, ${p.at}::timestamptz, ${p.accuracy ?? null}::real, ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326))`), sql`, `);
  const [row] = await database.rows<{ n: number }>(sql`
    WITH ins AS (
      INSERT INTO patrol_points (patrol_id, at, accuracy, geom)
      SELECT v.* FROM (VALUES ${values}) v(patrol_id, at, accuracy, geom) WHERE EXISTS (SELECT 1 FROM patrols WHERE id = ${id} AND ended_at IS NULL)
      RETURNING 1)
    SELECT (SELECT count(*) FROM ins)::int + (SELECT count(*) FROM patrol_points WHERE patrol_id = ${id})::int AS n`);
  return { points: Number(row.n) };
}

/** Stops the walker's patrol and answers it whole. */
export async function stopPatrol(database: Database, user: StaffUser, id: number): Promise<Patrol> {
  await requireOpenPatrol(database, user, id);
  await database.rows(sql`
    WITH p AS (UPDATE patrols SET ended_at = now() WHERE id = ${id} AND ended_at IS NULL RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${user.username || user.staffId}, 'patrol_ended', 'patrol:' || id FROM p)
    SELECT id FROM p`);
  return readPatrol(database, user, id);
}

type Summary = {
  id: number; worker_id: string; worker_name: string | null; grid_id: string | null; grid_name: string | null;
  started_at: string; ended_at: string | null; minutes: number; meters: number; points: number; visits: number; track: string | null;
};

/** Patrols with their time, length and counts; the track only when asked (it is the heavy, exact part). */
const summarySql = (where: SQL, withTrack: boolean) => sql`
  SELECT p.id, p.worker_id, s.name AS worker_name, p.grid_id, g.name AS grid_name,
    to_json(p.started_at) #>> '{}' AS started_at, to_json(p.ended_at) #>> '{}' AS ended_at,
    floor(extract(epoch FROM coalesce(p.ended_at, now()) - p.started_at) / 60)::int AS minutes,
    coalesce(round(ST_Length(t.line::geography)), 0)::int AS meters, coalesce(t.n, 0)::int AS points,
    (SELECT count(*)::int FROM care_visits v WHERE v.patrol_id = p.id) AS visits,
    ${withTrack ? sql`CASE WHEN t.n >= 2 THEN ST_AsGeoJSON(t.line, 7) END` : sql`NULL`} AS track
  FROM patrols p LEFT JOIN staff s ON s.id = p.worker_id LEFT JOIN areas g ON g.id = p.grid_id
  LEFT JOIN LATERAL (SELECT ST_MakeLine(pp.geom ORDER BY pp.at, pp.id) AS line, count(*) AS n FROM patrol_points pp WHERE pp.patrol_id = p.id) t ON true
  WHERE ${where}`;

/** Patrols the keeper may see: their own, and those of their area (a micro-grid's staff: their own only). */
const patrolScopeSql = (user: StaffUser) =>
  installationAdmin(user) || user.areaLevel !== 'microgrid' ? sql`(p.worker_id = ${user.staffId} OR ${areaScopeSql(user, 'p')})` : sql`p.worker_id = ${user.staffId}`;

const toPatrol = (r: Summary) => ({
  id: Number(r.id), workerId: r.worker_id, workerName: r.worker_name, gridId: r.grid_id, gridName: r.grid_name,
  startedAt: new Date(r.started_at).toISOString(), endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  minutes: Number(r.minutes), meters: Number(r.meters), points: Number(r.points),
});

/** One patrol with its track and findings; someone else's out of scope is 403. */
export async function readPatrol(database: Database, user: StaffUser, id: number): Promise<Patrol> {
  await patrolRow(database, id);
  const [row] = await database.rows<Summary>(summarySql(sql`p.id = ${id} AND ${patrolScopeSql(user)}`, true));
  if (!row) throw forbidden(`patrol ${id}`);
  const visits = await database.rows<VisitRowRow>(visitRowsSql(sql`v.patrol_id = ${id}`));
  return { ...toPatrol(row), track: row.track ? JSON.parse(row.track) : null, visits: visits.map(toVisitRow) };
}

/** The patrols of a period in scope, newest first, without their tracks. */
export async function listPatrols(database: Database, user: StaffUser, where: SQL) {
  const rows = await database.rows<Summary>(sql`${summarySql(sql`${patrolScopeSql(user)} AND ${where}`, false)} ORDER BY p.started_at DESC LIMIT 200`);
  return rows.map((r) => ({ ...toPatrol(r), visits: Number(r.visits) }));
}
