import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { deadlinesOf, openStatuses, type RequestCategory, type RequestChannel } from '../contract/vocabulary.ts';
import type { Filed, SimilarRequest } from '../contract/wire.ts';
import { sqlLiterals } from '../db/sql-list.ts';
import { ApiError } from '../errors.ts';
import { lookupCode, reportToken } from './report-token.ts';
import { whereStreetIs } from '../places/street-hint.ts';
import type { RequestRow } from './request-row.ts';
import type { FilingCount } from '../guard/filing-count.ts';
import { countSql } from '../guard/shared-counts.ts';

// Filing: the first step of a request's life (./moves.ts has the others).

export type Filing = {
  category: RequestCategory; description: string; lon: number; lat: number; contact?: string; channel?: RequestChannel;
  /** the building the resident (or staff) picked by search: shown to staff beside the point */
  buildingId?: string;
  /** staff intake: the hotline's case number (12345), the reporter's name (private), who recorded it */
  channelRef?: string; reporterName?: string; staffId?: string;
};

/**
 * Files a request in one statement, so one atomic write: the request, its assignment to the
 * areas that cover the point (assign_point, docs/architecture.md) and its first audit event.
 * With `count` (a resident's filing on PostgreSQL, api/guard/filing-count.ts) the same statement
 * counts the filing against its client's limit and files only within it: one round trip.
 * Answers the ticket and where it went; 422 for a point outside every street.
 */
export async function fileRequest(database: Pick<Database, 'rows' | 'keptRows'>, input: Filing, count?: FilingCount): Promise<Omit<Filed, 'reportToken' | 'lookupCode' | 'similar'>> {
  return (await fileStatement(database, input, count, false)).filed;
}

/**
 * The filing's statement. With `similar`, it also reads the open requests like it nearby: a
 * data-modifying CTE's rows are invisible to the rest of its statement, so the lookup sees the
 * map as it was before this request, and one backend answers both (they were two statements side
 * by side, two backends on the same cores: docs/scaling.md). Its plan does not depend on its
 * values (a point, a category, ids compared by equality), so it runs on connections that keep
 * plans (`keptRows`): planning it was a third of its time.
 */
async function fileStatement(database: Pick<Database, 'rows' | 'keptRows'>, input: Filing, count: FilingCount | undefined, similar: boolean) {
  const deadlines = deadlinesOf(input.category);
  const channel = input.channel ?? 'qr';
  if (input.buildingId) await requireBuilding(database, input.buildingId);
  const run = database.keptRows ?? database.rows;
  const [row] = await run<FiledRow>(sql`
    WITH counted AS (${count ? countSql(count.key, count.windowMs) : sql`SELECT NULL::int AS hits, NULL::text AS "resetAt"`}),
    pt AS (SELECT ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326) AS geom),
    a AS (SELECT * FROM pt, assign_point(pt.geom) ${count ? sql`WHERE (SELECT hits FROM counted) <= ${count.limit}` : sql``}),
    n AS (SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id),
    ins AS (
      INSERT INTO requests (id, ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id, contact, geom,
                            claim_deadline, resolve_deadline, building_id, channel_ref, reporter_name)
      SELECT n.id, 'GM' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(n.id::text, greatest(4, length(n.id::text)), '0'), -- lpad cuts longer text: id 10123 would be 1012
             ${input.category}, ${input.description}, ${channel}, 'collected',
             a.street_id, a.community_id, a.grid_id, a.microgrid_id, ${input.contact ?? null}, a.geom,
             now() + make_interval(mins => ${deadlines.claimMinutes}), now() + make_interval(mins => ${deadlines.resolveMinutes}),
             ${input.buildingId ?? null}, ${input.channelRef ?? null}, ${input.reporterName ?? null}
      FROM a, n
      RETURNING id, ticket, status, created_at, street_id, community_id, grid_id, microgrid_id, claim_deadline, resolve_deadline
    ),
    ev AS (
      INSERT INTO request_events (request_id, actor, action, to_status, note)
      -- staff intake names who recorded it in the audit trail; the note is the channel (the timeline words it)
      SELECT id, ${input.staffId ?? 'resident'}, 'filed', 'collected', ${channel} FROM ins
    )${similar ? sql`,
    near AS (${similarSql(sql`(SELECT geom FROM pt)`, { category: input.category })})` : sql``}
    -- the names in the same statement: filing is one round trip; one row even when nothing was filed, for the count
    SELECT counted.hits, counted."resetAt", ins.ticket, ins.status, to_json(ins.created_at) #>> '{}' AS "createdAt",
           to_json(ins.claim_deadline) #>> '{}' AS "claimDeadline", to_json(ins.resolve_deadline) #>> '{}' AS "resolveDeadline",
           ins.street_id AS "streetId", s.name AS "streetName", ins.community_id AS "communityId", cm.name AS "communityName",
           ins.grid_id AS "gridId", g.name AS "gridName", ins.microgrid_id AS "microgridId", m.name AS "microgridName",
           ${similar ? sql`(SELECT coalesce(json_agg(near ORDER BY near.distance), '[]'::json) FROM near)` : sql`NULL::json`} AS similar
    FROM counted LEFT JOIN ins ON true LEFT JOIN areas s ON s.id = ins.street_id LEFT JOIN areas cm ON cm.id = ins.community_id
    LEFT JOIN areas g ON g.id = ins.grid_id LEFT JOIN areas m ON m.id = ins.microgrid_id`);
  if (count) count.settle(Number(row.hits), row.resetAt!); // past the limit: the 429, and nothing was filed
  if (!row.ticket) {
    // where the street is, so the page can say which way to move the pin
    const hint = await whereStreetIs(database, input.lon, input.lat);
    throw new ApiError('outside_service_area',
      `the point (${input.lon}, ${input.lat}) lies outside every street this map serves; put the pin inside the map's grids`, { field: 'lon', ...hint });
  }
  const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);
  const filed = {
    id: row.ticket,
    ticket: row.ticket,
    status: row.status,
    createdAt: new Date(row.createdAt).toISOString(),
    street: ref(row.streetId, row.streetName),
    community: ref(row.communityId, row.communityName),
    grid: ref(row.gridId, row.gridName),
    microgrid: ref(row.microgridId, row.microgridName),
    claimDeadline: new Date(row.claimDeadline).toISOString(),
    resolveDeadline: new Date(row.resolveDeadline).toISOString(),
  };
  return { filed, similar: (row.similar ?? []).map(toSimilar) };
}

async function requireBuilding(database: Pick<Database, 'rows'>, buildingId: string) {
  const [found] = await database.rows(sql`SELECT id FROM buildings WHERE id = ${buildingId}`);
  if (!found) throw new ApiError('building_not_found', `no building with id ${buildingId}`, { field: 'buildingId', buildingId });
}

type FiledRow = Pick<RequestRow, 'ticket' | 'status' | 'createdAt' | 'streetId' | 'streetName' | 'communityId' | 'communityName'
  | 'gridId' | 'gridName' | 'microgridId' | 'microgridName'> & {
  claimDeadline: string; resolveDeadline: string; hits: number | null; resetAt: string | null; similar: NearRow[] | null;
};

/**
 * Files a request and answers what the reporter needs next: the ticket, the report token (their
 * proof for photos and rating) and open requests like it nearby (to add "me too" to), read in
 * the filing's own statement as the map was before it.
 */
export async function fileWithSimilar(database: Database, input: Filing, count?: FilingCount): Promise<Filed> {
  const { filed, similar } = await fileStatement(database, input, count, true);
  return {
    ...filed,
    reportToken: await reportToken(database, filed.ticket),
    lookupCode: await lookupCode(database, filed.ticket),
    similar,
  };
}

/** Open requests of the same category within `meters` of a point, nearest first. */
export async function similarRequests(database: Database, p: { lon: number; lat: number; category: string; meters?: number; except?: string }): Promise<SimilarRequest[]> {
  const rows = await database.rows<NearRow>(similarSql(sql`ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)`, p));
  return rows.map(toSimilar);
}

type NearRow = { ticket: string; published: string | null; status: SimilarRequest['status']; created_at: string; me_too: number; distance: number };

/** The open requests of a category within `meters` (50) of `point` (a geometry), nearest first; public fields only: whoever files may be anyone (api/loop/privacy.ts). */
function similarSql(point: SQL, p: { category: string; meters?: number; except?: string }): SQL {
  const meters = p.meters ?? 50;
  return sql`
    SELECT r.ticket, r.published_description AS published, r.status, to_json(r.created_at) #>> '{}' AS created_at, r.me_too,
           ST_Distance(r.geom::geography, here.geom::geography) AS distance
    FROM requests r, (SELECT ${point} AS geom) here
    WHERE r.category = ${p.category} AND r.status IN ${sqlLiterals(openStatuses)} -- the open requests' partial index, also for a kept plan
      -- a box on the GiST index first (a degree is ≥ 40 km everywhere in China), then metres on the ellipsoid
      AND r.geom && ST_Expand(here.geom, ${meters / 40_000})
      AND ST_DWithin(r.geom::geography, here.geom::geography, ${meters})
      AND r.ticket <> ${p.except ?? ''}
    ORDER BY distance LIMIT 5`;
}

const toSimilar = (r: NearRow): SimilarRequest => ({
  ticket: r.ticket, description: r.published ?? null, status: r.status, createdAt: new Date(r.created_at).toISOString(),
  meToo: Number(r.me_too), distanceMeters: Math.round(Number(r.distance)),
});
