import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError, forbidden } from '../errors.ts';
import { needKindOfCategory, isRequestCategory, type NeedKind, type NeedSource, type NeedStatus } from '../contract/vocabulary.ts';
import type { NeedEdit, NeedInput, NeedList, NeedRow } from '../contract/lists.ts';
import { sealOptional, unseal } from '../care/seal.ts';
import { auditSql, fieldsOf, gridPlace, gridScopeSql, mayKeepGrid, type Keeper } from './scope.ts';

// 群众需求清单 (docs/lists.md): needs heard in the grids — from requests, field visits, the
// deliberation day, surveys — grouped by grid and kind with how many households ask. What the
// residents said and who asks are sealed like the care ledger's fields; the title is staff's.

/** jsonb/json aggregates: parsed by postgres.js, text on PGlite. */
export const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

type Row = {
  id: number; community_id: string | null; grid_id: string; grid_name: string | null; building_id: string | null; building_name: string | null;
  kind: NeedKind; title: string; households: number; detail_sealed: string | null; household_sealed: string | null;
  source: NeedSource; source_ref: string | null; status: NeedStatus; projects: unknown; created: string;
};

const rowsSql = (where: SQL) => sql`
  SELECT x.id, x.community_id, x.grid_id, g.name AS grid_name, x.building_id, coalesce(b.name, b.number) AS building_name,
    x.kind, x.title, x.households, x.detail_sealed, x.household_sealed, x.source, x.source_ref, x.status,
    to_json(x.created_at) #>> '{}' AS created,
    coalesce((SELECT json_agg(json_build_object('id', p.id, 'title', p.title, 'status', p.status) ORDER BY p.id)
      FROM list_project_needs pn JOIN list_projects p ON p.id = pn.project_id WHERE pn.need_id = x.id), '[]'::json) AS projects
  FROM list_needs x LEFT JOIN areas g ON g.id = x.grid_id LEFT JOIN buildings b ON b.id = x.building_id
  WHERE ${where}
  ORDER BY x.grid_id, x.kind, x.households DESC, x.id`;

const toRow = (r: Row): NeedRow => ({
  id: Number(r.id), communityId: r.community_id, gridId: r.grid_id, gridName: r.grid_name,
  buildingId: r.building_id, buildingName: r.building_name, kind: r.kind, title: r.title, households: Number(r.households),
  detail: unseal(r.detail_sealed, 'need_detail'), household: unseal(r.household_sealed, 'need_household'),
  source: r.source, sourceRef: r.source_ref, status: r.status, projects: parsed(r.projects), createdAt: r.created,
});

/** The needs in scope, and per grid and kind how many needs, households and open ones. */
export async function listNeeds(database: Database, k: Keeper, q: { grid?: string; kind?: string; status?: string }): Promise<NeedList> {
  const filters = [gridScopeSql(k)];
  if (q.grid) filters.push(sql`x.grid_id = ${q.grid}`);
  if (q.kind) filters.push(sql`x.kind = ${q.kind}`);
  if (q.status) filters.push(sql`x.status = ${q.status}`);
  const needs = (await database.rows<Row>(rowsSql(sql.join(filters, sql` AND `)))).map(toRow);
  const groups = new Map<string, NeedList['groups'][number]>();
  for (const n of needs) {
    const key = `${n.gridId}\u0000${n.kind}`;
    const g = groups.get(key) ?? { gridId: n.gridId, gridName: n.gridName, kind: n.kind, needs: 0, households: 0, open: 0 };
    g.needs++;
    g.households += n.households;
    if (n.status === 'open') g.open++;
    groups.set(key, g);
  }
  return { needs, groups: [...groups.values()] };
}

/** A need the keeper may see, or 404 / 403. */
export async function needRow(database: Database, k: Keeper, id: number): Promise<NeedRow> {
  const [row] = await database.rows<Row & { street_id: string | null }>(sql`
    SELECT x.street_id, x.community_id, x.grid_id FROM list_needs x WHERE x.id = ${id}`);
  if (!row) throw new ApiError('need_not_found', `no need ${id}`, { id });
  if (!mayKeepGrid(k, row)) throw forbidden(`need ${id}`);
  const [full] = await database.rows<Row>(rowsSql(sql`x.id = ${id}`));
  return toRow(full);
}

/** The request a need is taken from: its areas and building (never its exact point), in the keeper's area. */
async function fromRequest(database: Database, k: Keeper, ticket: string) {
  const [r] = await database.rows<{ id: number; ticket: string; category: string; street_id: string | null; community_id: string | null; grid_id: string | null; building_id: string | null }>(sql`
    SELECT id, ticket, category, street_id, community_id, grid_id, building_id FROM requests WHERE ticket = ${ticket}`);
  if (!r) throw new ApiError('request_not_found', `no request ${ticket.slice(0, 40)}`, { field: 'request', ticket: ticket.slice(0, 40) });
  if (!r.grid_id || !mayKeepGrid(k, r)) throw forbidden(`request ${r.ticket}`);
  return r;
}

/** Writes a need (from a request, a visit, the deliberation day, a survey) with its audit line, in one statement. */
export async function createNeed(database: Database, k: Keeper, input: NeedInput): Promise<number> {
  const request = input.request ? await fromRequest(database, k, input.request) : null;
  const place = await gridPlace(database, k, request
    ? (request.building_id ? { buildingId: request.building_id } : { gridId: request.grid_id! })
    : { gridId: input.gridId, buildingId: input.buildingId });
  const kind = input.kind ?? (request && isRequestCategory(request.category) ? needKindOfCategory[request.category] : 'other');
  const source = request ? 'request' : (input.source ?? 'visit');
  const [row] = await database.rows<{ id: number }>(sql`
    WITH n AS (
      INSERT INTO list_needs (street_id, community_id, grid_id, building_id, kind, title, households, detail_sealed, household_sealed,
        source, source_ref, request_id, geom, created_by)
      VALUES (${place.street_id}, ${place.community_id}, ${place.grid_id}, ${request ? request.building_id : (input.buildingId ?? null)},
        ${kind}, ${input.title}, ${input.households}, ${sealOptional(input.detail, 'need_detail')}, ${sealOptional(input.household, 'need_household')},
        ${source}, ${request ? request.ticket : (input.sourceRef ?? null)}, ${request?.id ?? null},
        ST_SetSRID(ST_MakePoint(${place.lon}, ${place.lat}), 4326), ${k.username || k.staffId})
      RETURNING id, source),
    e AS (${auditSql(k, 'need_created', sql`(SELECT 'need:' || id FROM n)`, source)})
    SELECT id FROM n`);
  return Number(row.id);
}

/** Changes the fields given ('' erases the residents' words or who asks), with its audit line. */
export async function editNeed(database: Database, k: Keeper, id: number, input: NeedEdit): Promise<void> {
  await needRow(database, k, id);
  const sets: SQL[] = [sql`updated_at = now()`];
  if (input.kind !== undefined) sets.push(sql`kind = ${input.kind}`);
  if (input.title !== undefined) sets.push(sql`title = ${input.title}`);
  if (input.households !== undefined) sets.push(sql`households = ${input.households}`);
  if (input.detail !== undefined) sets.push(sql`detail_sealed = ${sealOptional(input.detail, 'need_detail')}`);
  if (input.household !== undefined) sets.push(sql`household_sealed = ${sealOptional(input.household, 'need_household')}`);
  if (input.sourceRef !== undefined) sets.push(sql`source_ref = ${input.sourceRef || null}`);
  if (input.status !== undefined) sets.push(sql`status = ${input.status}`);
  await database.rows(sql`
    WITH n AS (UPDATE list_needs SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING id)
    ${auditSql(k, 'need_updated', sql`(SELECT 'need:' || id FROM n)`, fieldsOf(input))}`);
}
