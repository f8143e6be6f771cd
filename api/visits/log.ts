import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { ApiError, forbidden } from '../errors.ts';
import { recordVisit } from '../care/ledger.ts';
import { seal, unseal } from '../care/seal.ts';
import { maxVisitPhotos, type VisitCard, type VisitInput, type VisitRequestInput, type VisitRow } from '../contract/visits.ts';
import { fileRequest } from '../loop/file.ts';
import { processPhoto } from '../loop/photos.ts';
import { areaScopeSql, holds, type Place } from './scope.ts';
import { requireOpenPatrol } from './patrol.ts';
import { toVisitRow, visitRowsSql, type VisitRowRow as Row } from './visit-row.ts';

// A field visit (走访, 随手拍; docs/visits.md): logged at a care household — through the care
// ledger's own `recordVisit`, so the household's visits owed count it — or at a building; its
// photos; its finding turned into a request in one tap. Findings are sealed like the ledger's and
// never logged; each write and each read of a finding leaves its audit line (admin_events).

/** Writes one audit line: who, what, which visit — never the finding. */
const audit = (database: Pick<Database, 'rows'>, user: StaffUser, action: string, id: number, note: string | null = null) =>
  database.rows(sql`INSERT INTO admin_events (actor, action, subject, note) VALUES (${user.username || user.staffId}, ${action}, ${`visit:${id}`}, ${note})`);

/** The areas a building's point is assigned to (the rule every request follows), or 404. */
async function buildingPlace(database: Database, buildingId: string): Promise<Place> {
  const [place] = await database.rows<Place>(sql`
    SELECT a.* FROM (SELECT ST_PointOnSurface(geom) AS p FROM buildings WHERE id = ${buildingId}) b CROSS JOIN LATERAL assign_point(b.p) a`);
  if (!place) throw new ApiError('building_not_found', `no building with id ${buildingId}`, { field: 'buildingId', buildingId });
  return place;
}

/** Logs a visit; answers its id. A household's visit is the care ledger's (scope, colour and audit are its). */
export async function logVisit(database: Database, user: StaffUser, input: VisitInput): Promise<number> {
  // sealed text could hold it, but the request a finding becomes could not: refused here, as PostgreSQL refuses it elsewhere
  if (input.finding.includes('\u0000')) throw new ApiError('nul_character', 'text must not contain the NUL character (\\u0000); remove it and send again', 'finding');
  const patrolId = input.patrolId !== undefined ? (await requireOpenPatrol(database, user, input.patrolId)).id : null;
  if (input.householdId !== undefined) {
    return recordVisit(database, user, input.householdId, { finding: input.finding, colour: input.colour, at: input.at }, patrolId);
  }
  const buildingId = input.buildingId!;
  const place = await buildingPlace(database, buildingId);
  if (!holds(user, place)) throw forbidden(`building ${buildingId}`);
  const at = input.at ? new Date(input.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw new ApiError('invalid_value', 'a visit cannot be in the future', { field: 'at' });
  const [v] = await database.rows<{ id: number }>(sql`
    WITH v AS (
      INSERT INTO care_visits (worker_id, at, finding_sealed, building_id, street_id, community_id, grid_id, microgrid_id, patrol_id)
      VALUES (${user.staffId}, ${at.toISOString()}::timestamptz, ${seal(input.finding, 'finding')}, ${buildingId},
        ${place.street_id}, ${place.community_id}, ${place.grid_id}, ${place.microgrid_id}, ${patrolId}::int)
      RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${user.username || user.staffId}, 'visit_logged', 'visit:' || id FROM v)
    SELECT id FROM v`);
  return Number(v.id);
}

/** Visits in the keeper's area, newest first: the month's, or a worker's own of today. */
export async function listVisits(database: Database, user: StaffUser, where: SQL): Promise<VisitRow[]> {
  return (await database.rows<Row>(visitRowsSql(sql`${areaScopeSql(user, 'v')} AND ${where}`))).map(toVisitRow);
}

/** A visit the keeper may see, or 404 / 403. */
async function visitRow(database: Database, user: StaffUser, id: number): Promise<Row> {
  const [row] = await database.rows<Row>(visitRowsSql(sql`v.id = ${id}`, 1));
  if (!row) throw new ApiError('visit_not_found', `no visit ${id}`, { id });
  if (!holds(user, row)) throw forbidden(`visit ${id}`);
  return row;
}

/** One visit's card with its finding; the read is audited. */
export async function readVisit(database: Database, user: StaffUser, id: number): Promise<VisitCard> {
  const row = await visitRow(database, user, id);
  const photos = await database.rows<{ id: number }>(sql`SELECT id FROM visit_photos WHERE visit_id = ${id} ORDER BY id`);
  await audit(database, user, 'visit_read', id);
  return {
    ...toVisitRow(row), finding: unseal(row.finding_sealed, 'finding'),
    colourBefore: row.colour_before as VisitCard['colourBefore'], colourAfter: row.colour_after as VisitCard['colourAfter'],
    lon: row.lon === null ? null : Number(row.lon), lat: row.lat === null ? null : Number(row.lat),
    photoUrls: photos.map((p) => `/api/visits/photos/${p.id}`),
  };
}

/** A photo of the visit, re-encoded (no EXIF, no GPS); at most `maxVisitPhotos`, counted in the same statement. */
export async function addVisitPhoto(database: Database, user: StaffUser, id: number, input: Uint8Array) {
  await visitRow(database, user, id);
  const photo = await processPhoto(input);
  const [stored] = await database.rows<{ id: number }>(sql`
    WITH ph AS (
      INSERT INTO visit_photos (visit_id, mime, bytes)
      SELECT ${id}, ${photo.mime}, ${photo.bytes}::bytea WHERE (SELECT count(*) FROM visit_photos WHERE visit_id = ${id}) < ${maxVisitPhotos}
      RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username || user.staffId}, 'visit_photo', ${`visit:${id}`}, '#' || id FROM ph)
    SELECT id FROM ph`);
  if (!stored) throw new ApiError('photo_limit', `at most ${maxVisitPhotos} photos per visit`, { maximum: maxVisitPhotos });
  return { id: Number(stored.id), url: `/api/visits/photos/${stored.id}`, width: photo.width, height: photo.height };
}

/** A visit's photo for staff who may see the visit. */
export async function readVisitPhoto(database: Database, user: StaffUser, photoId: number) {
  const [photo] = await database.rows<{ visit_id: number; mime: string; bytes: Uint8Array }>(sql`SELECT visit_id, mime, bytes FROM visit_photos WHERE id = ${photoId}`);
  if (!photo) throw new ApiError('photo_not_found', `no photo ${photoId}`);
  await visitRow(database, user, Number(photo.visit_id));
  return { mime: photo.mime, bytes: Buffer.from(photo.bytes) };
}

/**
 * The finding as a request (channel `visit`) at the visit's building — so in the grid the building
 * lies in — filed in the worker's name; the visit's photos become the request's, and the visit
 * keeps its ticket. One transaction: the request, its photos and the link, or none of them. A
 * second tap answers the ticket filed by the first (`created: false`).
 */
export async function fileFromVisit(database: Database, user: StaffUser, id: number, input: VisitRequestInput): Promise<{ ticket: string; created: boolean }> {
  const row = await visitRow(database, user, id);
  if (row.ticket) return { ticket: row.ticket, created: false };
  if (row.lon === null || row.lat === null) throw new ApiError('building_not_found', `visit ${id} has no place to file at`, { field: 'buildingId' });
  const description = input.description ?? unseal(row.finding_sealed, 'finding') ?? '';
  if (description.trim().length < 2) throw new ApiError('too_short', 'description must say what the problem is (at least 2 characters)', { field: 'description', minimum: 2 });
  const filed = await database.db.transaction(async (tx) => {
    const rows = async <T>(query: SQL) => rowsOf<T>(await tx.execute(query));
    const request = await fileRequest({ rows }, {
      category: input.category, description, lon: Number(row.lon), lat: Number(row.lat), channel: 'visit',
      ...(row.building_id ? { buildingId: row.building_id } : {}), staffId: user.staffId,
    });
    const [linked] = await rows<{ id: number }>(sql`
      UPDATE care_visits SET request_id = (SELECT id FROM requests WHERE ticket = ${request.ticket}) WHERE id = ${id} AND request_id IS NULL RETURNING id`);
    if (!linked) throw new ApiError('request_changed', 'this finding became a request a moment ago; reload the visit');
    await rows(sql`
      INSERT INTO request_photos (request_id, kind, mime, bytes)
      SELECT (SELECT id FROM requests WHERE ticket = ${request.ticket}), 'report', mime, bytes FROM visit_photos WHERE visit_id = ${id} ORDER BY id`);
    await audit({ rows }, user, 'visit_filed', id, request.ticket);
    return request;
  });
  return { ticket: filed.ticket, created: true };
}
