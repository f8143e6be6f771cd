import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { PublicRequest, StaffRequest } from '../contract/wire.ts';
import type { RequestCategory, RequestChannel, RequestStatus } from '../contract/vocabulary.ts';
import { ApiError } from '../errors.ts';
import { overdueSql, timeLeftSql } from './deadlines.ts';
import { publicPointSql } from './public-point.ts';

/**
 * A request as every query reads it: the one column list of `requests r` with its area and
 * assignee names (`requestColumns` + `requestJoins`), and the two shapes that leave the server,
 * public and staff (api/contract/wire.ts). Whatever reads requests — the loop, the OGC collection,
 * Open311 — selects these columns and answers through these shapes, so a new private column
 * reaches no public output by accident.
 */
export type RequestRow = {
  id: number;
  ticket: string;
  category: RequestCategory;
  description: string;
  channel: RequestChannel;
  status: RequestStatus;
  createdAt: string;
  updatedAt: string;
  districtId: string | null;
  streetId: string | null;
  streetName: string | null;
  communityId: string | null;
  communityName: string | null;
  gridId: string | null;
  gridName: string | null;
  microgridId: string | null;
  microgridName: string | null;
  contact: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  claimedAt: string | null;
  resolvedAt: string | null;
  claimDeadline: string | null;
  resolveDeadline: string | null;
  escalationLevel: number;
  outcome: string | null;
  rating: number | null;
  ratingNote: string | null;
  meToo: number;
  duplicateOf: number | null;
  duplicateOfTicket: string | null;
  /** the description staff published for the public view, or null: then the public sees none */
  publishedDescription: string | null;
  publishedAt: string | null;
  lon: number;
  lat: number;
  /** the location as the public sees it: on the 0.001° grid (api/loop/privacy.ts) */
  publicLon: number;
  publicLat: number;
  timeLeftMinutes: number | null;
  overdue: boolean;
  buildingId: string | null;
  buildingNumber: string | null;
  buildingName: string | null;
  buildingCompound: string | null;
  channelRef: string | null;
  /** PRIVATE, like contact: the name a resident gave staff */
  reporterName: string | null;
};

const time = (column: string) => sql.raw(`to_json(${column}) #>> '{}'`);
/** the name of the row of `table` whose id is `column` (an area's, a member of staff's) */
const nameOf = (table: 'areas' | 'staff', column: string) => sql.raw(`(SELECT x.name FROM ${table} x WHERE x.id = ${column})`);

/**
 * Every column of `requests r` a view needs, named as RequestRow names them. The names of its
 * areas, assignee, duplicate and building are scalar subqueries, not joins: each is planned on
 * its own, where eight joins cost the planner ~10–18 ms on every call (its join search) against
 * 0.3 ms to run — and the live stream reads its events this way after every write.
 */
export const requestColumns = sql`
  r.id, r.ticket, r.category, r.description, r.channel, r.status,
  ${time('r.created_at')} AS "createdAt", ${time('r.updated_at')} AS "updatedAt",
  r.district_id AS "districtId", r.street_id AS "streetId", ${nameOf('areas', 'r.street_id')} AS "streetName",
  r.community_id AS "communityId", ${nameOf('areas', 'r.community_id')} AS "communityName",
  r.grid_id AS "gridId", ${nameOf('areas', 'r.grid_id')} AS "gridName", r.microgrid_id AS "microgridId", ${nameOf('areas', 'r.microgrid_id')} AS "microgridName",
  r.contact, r.assignee_id AS "assigneeId", ${nameOf('staff', 'r.assignee_id')} AS "assigneeName",
  ${time('r.claimed_at')} AS "claimedAt", ${time('r.resolved_at')} AS "resolvedAt",
  ${time('r.claim_deadline')} AS "claimDeadline", ${time('r.resolve_deadline')} AS "resolveDeadline",
  r.escalation_level AS "escalationLevel", r.outcome, r.rating, r.rating_note AS "ratingNote", r.me_too AS "meToo",
  r.duplicate_of AS "duplicateOf", (SELECT dup.ticket FROM requests dup WHERE dup.id = r.duplicate_of) AS "duplicateOfTicket",
  r.published_description AS "publishedDescription", ${time('r.published_at')} AS "publishedAt",
  ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, ST_X(${publicPointSql}) AS "publicLon", ST_Y(${publicPointSql}) AS "publicLat",
  ${timeLeftSql()} AS "timeLeftMinutes", ${overdueSql()} AS overdue,
  r.building_id AS "buildingId", b.number AS "buildingNumber", b.name AS "buildingName",
  (SELECT bc.name FROM compounds bc WHERE bc.id = b.compound_id) AS "buildingCompound",
  r.channel_ref AS "channelRef", r.reporter_name AS "reporterName"`;

/** The one join `requestColumns` reads through: the request's building (its number, name and compound). */
export const requestJoins = sql`LEFT JOIN LATERAL (SELECT number, name, compound_id FROM buildings WHERE id = r.building_id) b ON true`;

/** What a public request shows (toPublicRequest) and where its marker stands: no private field. */
export type PublicRow = Pick<RequestRow, 'ticket' | 'category' | 'channel' | 'status' | 'createdAt' | 'updatedAt' | 'districtId' | 'streetId'
  | 'communityId' | 'communityName' | 'gridId' | 'gridName' | 'microgridId' | 'microgridName' | 'claimDeadline' | 'resolveDeadline'
  | 'outcome' | 'rating' | 'meToo' | 'publishedDescription' | 'publicLon' | 'publicLat' | 'timeLeftMinutes' | 'overdue'>;

/**
 * The columns of PublicRow, for the lists that answer only public requests (the map's markers):
 * three names where the full row reads seven and a building, and no private column even selected.
 */
export const publicRequestColumns = sql`
  r.ticket, r.category, r.channel, r.status, ${time('r.created_at')} AS "createdAt", ${time('r.updated_at')} AS "updatedAt",
  r.district_id AS "districtId", r.street_id AS "streetId", r.community_id AS "communityId", ${nameOf('areas', 'r.community_id')} AS "communityName",
  r.grid_id AS "gridId", ${nameOf('areas', 'r.grid_id')} AS "gridName", r.microgrid_id AS "microgridId", ${nameOf('areas', 'r.microgrid_id')} AS "microgridName",
  ${time('r.claim_deadline')} AS "claimDeadline", ${time('r.resolve_deadline')} AS "resolveDeadline",
  r.outcome, r.rating, r.me_too AS "meToo", r.published_description AS "publishedDescription",
  ST_X(${publicPointSql}) AS "publicLon", ST_Y(${publicPointSql}) AS "publicLat", ${timeLeftSql()} AS "timeLeftMinutes", ${overdueSql()} AS overdue`;

/** A row of `publicRequestColumns`, its numbers and flag made what PublicRow says (as readRequestRow does). */
export function readPublicRow(raw: Record<string, unknown>): PublicRow {
  const row = raw as unknown as PublicRow;
  return {
    ...row,
    meToo: Number(row.meToo ?? 0),
    rating: row.rating == null ? null : Number(row.rating),
    publicLon: Number(row.publicLon),
    publicLat: Number(row.publicLat),
    timeLeftMinutes: row.timeLeftMinutes == null ? null : Number(row.timeLeftMinutes),
    overdue: (row.overdue as unknown) === true || (row.overdue as unknown) === 't',
  };
}

/** Drivers answer numbers as text and booleans as 't' on some paths: one place makes them what RequestRow says. */
export function readRequestRow(raw: Record<string, unknown>): RequestRow {
  const row = raw as unknown as RequestRow;
  return {
    ...row,
    id: Number(row.id),
    escalationLevel: Number(row.escalationLevel ?? 0),
    meToo: Number(row.meToo ?? 0),
    rating: row.rating == null ? null : Number(row.rating),
    duplicateOf: row.duplicateOf == null ? null : Number(row.duplicateOf),
    lon: Number(row.lon),
    lat: Number(row.lat),
    publicLon: Number(row.publicLon),
    publicLat: Number(row.publicLat),
    timeLeftMinutes: row.timeLeftMinutes == null ? null : Number(row.timeLeftMinutes),
    overdue: (row.overdue as unknown) === true || (row.overdue as unknown) === 't',
  };
}

export async function loadRequests(database: Database, where: ReturnType<typeof sql>, { orderBy = sql`r.id`, limit = 1000, offset = 0 } = {}) {
  const rows = await database.rows(sql`
    SELECT ${requestColumns} FROM requests r ${requestJoins} WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`);
  return rows.map(readRequestRow);
}

export async function findRequest(database: Database, ticket: string): Promise<RequestRow | null> {
  if (!/^[A-Za-z0-9-]{1,40}$/.test(ticket)) return null;
  const [row] = await loadRequests(database, sql`r.ticket = ${ticket}`, { limit: 1 });
  return row ?? null;
}

export async function requireRequest(database: Database, ticket: string): Promise<RequestRow> {
  const row = await findRequest(database, ticket);
  if (!row) throw new ApiError('request_not_found', `no request with ticket ${ticket}`, { ticket });
  return row;
}

const iso = (v: string | null) => (v == null ? null : new Date(v).toISOString());
const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

/** A request as anyone may see it (api/contract/wire.ts: PublicRequest): no words of the resident's unless published. */
export function toPublicRequest(row: PublicRow): PublicRequest {
  return PublicRequest.parse({
    ticket: row.ticket,
    category: row.category,
    description: row.publishedDescription ?? null,
    published: row.publishedDescription != null,
    status: row.status,
    channel: row.channel,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    districtId: row.districtId,
    streetId: row.streetId,
    communityId: row.communityId,
    gridId: row.gridId,
    microgridId: row.microgridId,
    community: ref(row.communityId, row.communityName),
    grid: ref(row.gridId, row.gridName),
    microgrid: ref(row.microgridId, row.microgridName),
    claimDeadline: iso(row.claimDeadline),
    resolveDeadline: iso(row.resolveDeadline),
    timeLeftMinutes: row.timeLeftMinutes,
    overdue: row.overdue,
    outcome: row.outcome ?? null,
    rating: row.rating,
    meToo: row.meToo,
  });
}

/** What staff in scope see (StaffRequest): the public fields plus the contact, assignee, deadlines and place. */
export function toStaffRequest(row: RequestRow): StaffRequest {
  return StaffRequest.parse({
    ...toPublicRequest(row),
    description: row.description,
    publishedDescription: row.publishedDescription ?? null,
    contact: row.contact ?? null,
    assignee: ref(row.assigneeId, row.assigneeName),
    claimedAt: iso(row.claimedAt),
    resolvedAt: iso(row.resolvedAt),
    escalationLevel: row.escalationLevel,
    ratingNote: row.ratingNote ?? null,
    duplicateOf: row.duplicateOfTicket ?? null,
    lon: row.lon,
    lat: row.lat,
    building: row.buildingId
      ? { id: row.buildingId, number: row.buildingNumber, name: row.buildingName, compound: row.buildingCompound, distanceMeters: null }
      : null,
    channelRef: row.channelRef ?? null,
    reporterName: row.reporterName ?? null,
  });
}
