import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin, type StaffUser } from '../auth/session.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import {
  careDueSoonDays, careSchemes, colourOf, isCareRole,
  type CareCategory, type CareColourName, type CareHousehold, type CareHouseholdEdit, type CareHouseholdInput, type CareHouseholdRow,
  type CareScheme, type CareVisitInput,
} from '../contract/care.ts';
import { careKeys, nameIndex, seal, sealOptional, unseal } from './seal.ts';
import { rowsInAreaSql } from '../auth/rows-in-area.ts';

// The care ledger (五色管理台账, docs/care.md): who may see which household, the list with the visits
// owed, one household's card (each read audited in admin_events: who, when, which id — never a
// name), writing a household and a visit. Personal fields are sealed (./seal.ts); nothing here logs.

/** The asker as a keeper of the ledger: signed in (else 401) and in a role and area that keep it (else 403). */
export function careKeeper(user: StaffUser | null): StaffUser {
  if (!user) throw unauthorized();
  if (installationAdmin(user)) return user;
  if (!isCareRole(user.role) || !user.areaId || !user.areaLevel) throw new ApiError('out_of_scope', 'the care ledger is kept by street, community and grid staff in their own area');
  return user;
}

/** Households of `care_households h` the keeper may see: their street, community, grid or micro-grid. */
export function careScopeSql(user: StaffUser): SQL {
  if (installationAdmin(user)) return sql`TRUE`;
  return rowsInAreaSql('h', { level: user.areaLevel ?? null, id: user.areaId ?? null });
}

/** The frequency table of every scheme, as SQL rows (scheme, colour, days). */
const frequencies = sql.join(
  Object.entries(careSchemes).flatMap(([scheme, colours]) => colours.map((c) => sql`(${scheme}::text, ${c.colour}::text, ${c.everyDays}::int)`)),
  sql`, `,
);

/** Columns of one household with its last visit, when the next is due and how that stands now. */
const rowSql = (where: SQL) => sql`
  WITH f(scheme, colour, days) AS (VALUES ${frequencies}),
  x AS (
    SELECT h.*, g.name AS grid_name, coalesce(b.name, b.number) AS building_name, s.name AS worker_name,
      (SELECT max(v.at) FROM care_visits v WHERE v.household_id = h.id) AS last_visit_at,
      coalesce(f.days, 30) AS every_days
    FROM care_households h
    LEFT JOIN areas g ON g.id = h.grid_id
    LEFT JOIN buildings b ON b.id = h.building_id
    LEFT JOIN staff s ON s.id = h.worker_id
    LEFT JOIN f ON f.scheme = h.scheme AND f.colour = h.colour
    WHERE ${where}
  )
  SELECT x.*, to_json(x.last_visit_at) #>> '{}' AS last_visit, to_json(due) #>> '{}' AS due_at,
    CASE WHEN due < now() THEN 'overdue' WHEN due < now() + ${`${careDueSoonDays} days`}::interval THEN 'due_soon' ELSE 'ok' END AS state,
    ST_X(x.geom) AS lon, ST_Y(x.geom) AS lat
  FROM x CROSS JOIN LATERAL (SELECT coalesce(x.last_visit_at, x.created_at) + make_interval(days => x.every_days) AS due) d`;

type Row = {
  id: number; grid_id: string | null; grid_name: string | null; building_id: string | null; building_name: string | null;
  room_sealed: string | null; name_sealed: string; id_number_sealed: string | null; phone_sealed: string | null; notes_sealed: string | null;
  scheme: CareScheme; colour: CareColourName; categories: CareCategory[]; worker_id: string | null; worker_name: string | null;
  last_visit: string | null; due_at: string; state: CareHouseholdRow['state']; lon: number; lat: number;
};

const toRow = (r: Row): CareHouseholdRow => ({
  id: Number(r.id), name: unseal(r.name_sealed, 'name'), gridId: r.grid_id, gridName: r.grid_name,
  buildingId: r.building_id, buildingName: r.building_name, room: unseal(r.room_sealed, 'room'),
  scheme: r.scheme, colour: r.colour, categories: typeof r.categories === 'string' ? JSON.parse(r.categories) : r.categories,
  workerId: r.worker_id, workerName: r.worker_name, lastVisitAt: r.last_visit, dueAt: r.due_at, state: r.state,
});

const stateOrder = { overdue: 0, due_soon: 1, ok: 2 } as const;
const colourRank = (c: string) => ['red', 'orange', 'yellow', 'blue', 'green'].indexOf(c);

/** Households in scope, most urgent colour first and, within a colour, the visit most overdue first. */
export async function listHouseholds(database: Database, user: StaffUser, q: { colour?: string; grid?: string; name?: string }) {
  const filters = [careScopeSql(user)];
  if (q.colour) filters.push(sql`h.colour = ${q.colour}`);
  if (q.grid) filters.push(sql`h.grid_id = ${q.grid}`);
  if (q.name) filters.push(sql`h.name_index = ${nameIndex(q.name)}`);
  const rows = (await database.rows<Row>(rowSql(sql.join(filters, sql` AND `)))).map(toRow);
  rows.sort((a, b) => colourRank(a.colour) - colourRank(b.colour) || a.dueAt.localeCompare(b.dueAt) || a.id - b.id);
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.colour] = (counts[r.colour] ?? 0) + 1;
  return {
    households: rows, counts,
    overdue: rows.filter((r) => r.state === 'overdue').length, dueSoon: rows.filter((r) => r.state === 'due_soon').length,
  };
}

/** Visits owed per worker: households overdue or due within the week, grouped by their worker. */
export async function visitsDue(database: Database, user: StaffUser) {
  const { households } = await listHouseholds(database, user, {});
  const owed = households.filter((h) => h.state !== 'ok')
    .sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || a.dueAt.localeCompare(b.dueAt));
  const byWorker = new Map<string, { workerId: string | null; workerName: string | null; overdue: number; dueSoon: number; households: CareHouseholdRow[] }>();
  for (const h of owed) {
    const key = h.workerId ?? '';
    const w = byWorker.get(key) ?? { workerId: h.workerId, workerName: h.workerName, overdue: 0, dueSoon: 0, households: [] };
    if (h.state === 'overdue') w.overdue++; else w.dueSoon++;
    w.households.push(h);
    byWorker.set(key, w);
  }
  return { workers: [...byWorker.values()].sort((a, b) => b.overdue - a.overdue || (a.workerName ?? '').localeCompare(b.workerName ?? '', 'zh-CN')) };
}

/** The health map: every household in scope as a point with its colour (the building's point, staff only). */
export async function healthMap(database: Database, user: StaffUser) {
  const rows = await database.rows<Row>(rowSql(careScopeSql(user)));
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const, id: Number(r.id),
      geometry: { type: 'Point' as const, coordinates: [Number(r.lon), Number(r.lat)] as [number, number] },
      properties: { id: Number(r.id), colour: r.colour, hex: colourOf(r.scheme, r.colour)?.hex ?? '#888888', state: r.state },
    })),
  };
}

/** A household the keeper may see, or 404 / 403. */
async function householdRow(database: Database, user: StaffUser, id: number): Promise<Row> {
  const [row] = await database.rows<Row>(rowSql(sql`h.id = ${id}`));
  if (!row) throw new ApiError('household_not_found', `no care household ${id}`, { id });
  const [inScope] = await database.rows<{ ok: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM care_households h WHERE h.id = ${id} AND ${careScopeSql(user)}) AS ok`);
  if (!(inScope.ok === true || (inScope.ok as unknown) === 't')) throw forbidden(`care household ${id}`);
  return row;
}

/** Writes one line of the audit trail (admin_events): who, what, which household — never a name. */
const audit = (database: Database, user: StaffUser, action: string, id: number, note: string | null = null) =>
  database.rows(sql`INSERT INTO admin_events (actor, action, subject, note) VALUES (${user.username || user.staffId}, ${action}, ${`care:${id}`}, ${note})`);

/** One household's card with its visits; the read is audited. */
export async function readHousehold(database: Database, user: StaffUser, id: number): Promise<CareHousehold> {
  const row = await householdRow(database, user, id);
  const visits = await database.rows<{ id: number; at: string; worker_id: string | null; worker_name: string | null; finding_sealed: string; colour_before: CareColourName | null; colour_after: CareColourName | null }>(sql`
    SELECT v.id, to_json(v.at) #>> '{}' AS at, v.worker_id, s.name AS worker_name, v.finding_sealed, v.colour_before, v.colour_after
    FROM care_visits v LEFT JOIN staff s ON s.id = v.worker_id WHERE v.household_id = ${id} ORDER BY v.at DESC, v.id DESC`);
  const colours = await database.rows<{ at: string; staff_name: string | null; colour_before: CareColourName | null; colour_after: CareColourName; via: 'created' | 'edited' | 'visit' }>(sql`
    SELECT to_json(x.at) #>> '{}' AS at, s.name AS staff_name, x.colour_before, x.colour_after, x.via FROM (
      SELECT at, staff_id, colour_before, colour_after, CASE WHEN colour_before IS NULL THEN 'created' ELSE 'edited' END AS via, id AS n
      FROM care_colour_changes WHERE household_id = ${id}
      UNION ALL
      SELECT at, worker_id, colour_before, colour_after, 'visit', id FROM care_visits
      WHERE household_id = ${id} AND colour_before IS DISTINCT FROM colour_after) x
    LEFT JOIN staff s ON s.id = x.staff_id ORDER BY x.at DESC, x.n DESC`);
  await audit(database, user, 'care_read', id);
  return {
    ...toRow(row),
    idNumber: unseal(row.id_number_sealed, 'id_number'), phone: unseal(row.phone_sealed, 'phone'), notes: unseal(row.notes_sealed, 'notes'),
    lon: Number(row.lon), lat: Number(row.lat),
    visits: visits.map((v) => ({
      id: Number(v.id), at: v.at, workerId: v.worker_id, workerName: v.worker_name,
      finding: unseal(v.finding_sealed, 'finding'), colourBefore: v.colour_before, colourAfter: v.colour_after,
    })),
    colourHistory: colours.map((c) => ({ at: c.at, by: c.staff_name, from: c.colour_before, to: c.colour_after, via: c.via })),
  };
}

function checkColour(scheme: CareScheme, colour: string) {
  if (!colourOf(scheme, colour)) {
    const allowed = careSchemes[scheme].map((c) => c.colour);
    throw new ApiError('colour_not_in_scheme', `${colour} is not a colour of the ${scheme} scheme: ${allowed.join(', ')}`, { field: 'colour', allowed });
  }
}

/** The worker a household is given: the one asked for (a keeper of its street), else the asker if a grid worker, else the grid's first worker. */
async function workerFor(database: Database, user: StaffUser, asked: string | undefined, area: { street_id: string | null; grid_id: string | null }): Promise<string> {
  if (asked) {
    const [w] = await database.rows<{ id: string }>(sql`
      SELECT s.id FROM staff s LEFT JOIN areas a ON a.id = s.area_id
      WHERE s.id = ${asked} AND (s.area_id = ${area.street_id} OR a.parent_id = ${area.street_id}
        OR a.id IN (SELECT id FROM areas WHERE parent_id IN (SELECT id FROM areas WHERE parent_id = ${area.street_id})))`);
    if (!w) throw new ApiError('unknown_assignee', `no staff member ${asked} in the household's street`, { field: 'workerId' });
    return w.id;
  }
  if (user.role === 'grid_worker' && user.areaId === area.grid_id) return user.staffId;
  const [w] = await database.rows<{ id: string }>(sql`SELECT id FROM staff WHERE area_id = ${area.grid_id} AND role = 'grid_worker' ORDER BY id LIMIT 1`);
  return w?.id ?? user.staffId;
}

/** Writes a new household at a building: its areas from the building's point, its worker, its sealed fields. */
export async function createHousehold(database: Database, user: StaffUser, input: CareHouseholdInput): Promise<number> {
  checkColour(input.scheme, input.colour);
  const [place] = await database.rows<{ district_id: string | null; street_id: string | null; community_id: string | null; grid_id: string | null; microgrid_id: string | null; lon: number; lat: number }>(sql`
    SELECT a.*, (SELECT parent_id FROM areas s WHERE s.id = a.street_id) AS district_id, ST_X(p) AS lon, ST_Y(p) AS lat
    FROM (SELECT ST_PointOnSurface(geom) AS p FROM buildings WHERE id = ${input.buildingId}) b CROSS JOIN LATERAL assign_point(b.p) a`);
  if (!place) throw new ApiError('building_not_found', `no building with id ${input.buildingId}`, { field: 'buildingId', buildingId: input.buildingId });
  const within = installationAdmin(user) || ({ district: place.district_id, street: place.street_id, community: place.community_id, grid: place.grid_id, microgrid: place.microgrid_id }[user.areaLevel!] === user.areaId);
  if (!within) throw forbidden(`building ${input.buildingId}`);
  const workerId = await workerFor(database, user, input.workerId, place);
  const [row] = await database.rows<{ id: number }>(sql`
    WITH h AS (
      INSERT INTO care_households (district_id, street_id, community_id, grid_id, microgrid_id, building_id, name_sealed, name_index,
        id_number_sealed, phone_sealed, room_sealed, notes_sealed, scheme, colour, categories, worker_id, geom)
      VALUES (${place.district_id}, ${place.street_id}, ${place.community_id}, ${place.grid_id}, ${place.microgrid_id}, ${input.buildingId},
        ${seal(input.name, 'name')}, ${nameIndex(input.name)}, ${sealOptional(input.idNumber, 'id_number')}, ${sealOptional(input.phone, 'phone')},
        ${sealOptional(input.room, 'room')}, ${sealOptional(input.notes, 'notes')}, ${input.scheme}, ${input.colour},
        ${JSON.stringify(input.categories)}::jsonb, ${workerId}, ST_SetSRID(ST_MakePoint(${place.lon}, ${place.lat}), 4326))
      RETURNING id, colour),
    c AS (INSERT INTO care_colour_changes (household_id, staff_id, colour_before, colour_after) SELECT id, ${user.staffId}, NULL, colour FROM h),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username || user.staffId}, 'care_created', 'care:' || id, colour FROM h)
    SELECT id FROM h`);
  return Number(row.id);
}

/** Changes the fields given; an empty ID number or phone erases it. One statement with its audit line. */
export async function editHousehold(database: Database, user: StaffUser, id: number, input: CareHouseholdEdit): Promise<void> {
  const row = await householdRow(database, user, id);
  const scheme = input.scheme ?? row.scheme;
  checkColour(scheme, input.colour ?? row.colour);
  const sets: SQL[] = [sql`updated_at = now()`];
  if (input.name !== undefined) sets.push(sql`name_sealed = ${seal(input.name, 'name')}, name_index = ${nameIndex(input.name)}`);
  if (input.idNumber !== undefined) sets.push(sql`id_number_sealed = ${sealOptional(input.idNumber, 'id_number')}`);
  if (input.phone !== undefined) sets.push(sql`phone_sealed = ${sealOptional(input.phone, 'phone')}`);
  if (input.room !== undefined) sets.push(sql`room_sealed = ${sealOptional(input.room, 'room')}`);
  if (input.notes !== undefined) sets.push(sql`notes_sealed = ${sealOptional(input.notes, 'notes')}`);
  if (input.scheme !== undefined) sets.push(sql`scheme = ${input.scheme}`);
  if (input.colour !== undefined) sets.push(sql`colour = ${input.colour}`);
  if (input.categories !== undefined) sets.push(sql`categories = ${JSON.stringify(input.categories)}::jsonb`);
  if (input.workerId !== undefined) {
    const [place] = await database.rows<{ street_id: string | null; grid_id: string | null }>(sql`SELECT street_id, grid_id FROM care_households WHERE id = ${id}`);
    sets.push(sql`worker_id = ${await workerFor(database, user, input.workerId, place)}`);
  }
  const fields = Object.keys(input).filter((k) => input[k as keyof CareHouseholdEdit] !== undefined).join(',');
  // the colour before is read in the same statement (its snapshot precedes the update): a change is
  // written to the colour history with who made it, an unchanged colour is not
  await database.rows(sql`
    WITH o AS (SELECT colour FROM care_households WHERE id = ${id}),
    h AS (UPDATE care_households SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING id, colour),
    c AS (INSERT INTO care_colour_changes (household_id, staff_id, colour_before, colour_after)
      SELECT h.id, ${user.staffId}, o.colour, h.colour FROM h, o WHERE o.colour <> h.colour)
    INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username || user.staffId}, 'care_updated', 'care:' || id, ${fields} FROM h`);
}

/**
 * Records a visit (and the colour it leaves the household at), with its audit line, in one statement.
 * The visit takes the household's building and areas, so the grid's coverage (api/visits) counts it;
 * a visit logged on a patrol names it.
 */
export async function recordVisit(database: Database, user: StaffUser, id: number, input: CareVisitInput, patrolId: number | null = null): Promise<number> {
  const row = await householdRow(database, user, id);
  if (input.colour) checkColour(row.scheme, input.colour);
  const at = input.at ? new Date(input.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw new ApiError('invalid_value', 'a visit cannot be in the future', { field: 'at' });
  const [v] = await database.rows<{ id: number }>(sql`
    WITH v AS (
      INSERT INTO care_visits (household_id, worker_id, at, finding_sealed, colour_before, colour_after,
        building_id, street_id, community_id, grid_id, microgrid_id, patrol_id)
      SELECT ${id}, ${user.staffId}, ${at.toISOString()}::timestamptz, ${seal(input.finding, 'finding')}, ${row.colour}, ${input.colour ?? row.colour},
        hh.building_id, hh.street_id, hh.community_id, hh.grid_id, hh.microgrid_id, ${patrolId}::int
      FROM care_households hh WHERE hh.id = ${id}
      RETURNING id, household_id, colour_after),
    h AS (UPDATE care_households SET colour = v.colour_after, updated_at = now() FROM v WHERE care_households.id = v.household_id RETURNING care_households.id),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username || user.staffId}, 'care_visited', 'care:' || household_id, colour_after FROM v)
    SELECT v.id FROM v, h`);
  return Number(v.id);
}

/** Counts per grid and colour in an area: all the wall may show of the ledger, never a household. */
export async function careCounts(database: Database, areaId: string | null) {
  const rows = await database.rows<{ grid_id: string; colour: CareColourName; n: number }>(sql`
    SELECT grid_id, colour, count(*)::int AS n FROM care_households
    WHERE grid_id IS NOT NULL AND (${areaId}::text IS NULL OR ${areaId} IN (street_id, community_id, grid_id, microgrid_id))
    GROUP BY grid_id, colour ORDER BY grid_id, colour`);
  return rows.map((r) => ({ gridId: r.grid_id, colour: r.colour, households: Number(r.n) }));
}

/**
 * At start: reads the key (a malformed CARE_KEY stops the start with its name) and tries it on one
 * sealed name. Answers a warning when the ledger was sealed under another key — a restore into a
 * new DATA_DIR without its key file — or null. Never a name: only counts and where the key came from.
 */
export async function careKeyWarning(database: Database): Promise<string | null> {
  const { source } = careKeys();
  const [row] = await database.rows<{ name_sealed: string; n: number }>(sql`
    SELECT (SELECT name_sealed FROM care_households ORDER BY id LIMIT 1) AS name_sealed, (SELECT count(*)::int FROM care_households) AS n`);
  if (!row?.name_sealed || unseal(row.name_sealed, 'name') !== null) return null;
  return `care ledger: ${row.n} household(s) were sealed under another key than ${source}; names, ID numbers and phones cannot be read. Set CARE_KEY, or CARE_KEY_FILE to the key file they were sealed with (docs/care.md)`;
}
