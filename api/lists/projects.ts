import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database, type Db } from '../db/client.ts';
import { installationAdmin } from '../auth/session.ts';
import { ApiError, forbidden } from '../errors.ts';
import { projectTransitions, type ProjectStatus } from '../contract/vocabulary.ts';
import type { ProgressInput, ProjectEdit, ProjectInput, ProjectRow } from '../contract/lists.ts';
import { parsed } from './needs.ts';
import { auditSql, fieldsOf, listManager, sharedPlace, sharedScopeSql, type Keeper } from './scope.ts';

// 项目服务清单 (docs/lists.md): a project meets needs with resources — 金秋养生: the needs of 40
// elderly households × a clinic × the party-mass centre's hall — with its dates, status,
// participants and outcome, and a progress entry each month (每月更新清单, 动态跟踪问效). Needs and
// resources are linked many-to-many, within the project's community (or street).

type Row = {
  id: number; community_id: string | null; community_name: string | null; title: string; summary: string | null; status: ProjectStatus;
  starts_on: string | null; ends_on: string | null; participants: number | null; outcome: string | null;
  needs: unknown; resources: unknown; progress: unknown;
};

const rowsSql = (where: SQL) => sql`
  SELECT x.id, x.community_id, c.name AS community_name, x.title, x.summary, x.status, x.starts_on, x.ends_on, x.participants, x.outcome,
    coalesce((SELECT json_agg(json_build_object('id', n.id, 'title', n.title, 'kind', n.kind, 'gridName', g.name, 'households', n.households, 'status', n.status) ORDER BY n.grid_id, n.id)
      FROM list_project_needs pn JOIN list_needs n ON n.id = pn.need_id LEFT JOIN areas g ON g.id = n.grid_id WHERE pn.project_id = x.id), '[]'::json) AS needs,
    coalesce((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'kind', r.kind) ORDER BY r.id)
      FROM list_project_resources pr JOIN list_resources r ON r.id = pr.resource_id WHERE pr.project_id = x.id), '[]'::json) AS resources,
    coalesce((SELECT json_agg(json_build_object('id', m.id, 'month', m.month, 'note', m.note, 'participants', m.participants, 'author', m.author,
        'at', to_json(m.at) #>> '{}') ORDER BY m.month DESC, m.id DESC)
      FROM list_project_progress m WHERE m.project_id = x.id), '[]'::json) AS progress
  FROM list_projects x LEFT JOIN areas c ON c.id = x.community_id
  WHERE ${where}
  ORDER BY CASE x.status WHEN 'active' THEN 0 WHEN 'planned' THEN 1 WHEN 'paused' THEN 2 ELSE 3 END, x.starts_on DESC NULLS LAST, x.id DESC`;

const toRow = (r: Row): ProjectRow => {
  const needs = parsed<ProjectRow['needs']>(r.needs);
  return {
    id: Number(r.id), communityId: r.community_id, communityName: r.community_name, title: r.title, summary: r.summary, status: r.status,
    startsOn: r.starts_on, endsOn: r.ends_on, participants: r.participants === null ? null : Number(r.participants), outcome: r.outcome,
    needs, resources: parsed(r.resources), progress: parsed(r.progress),
    households: needs.reduce((sum, n) => sum + n.households, 0),
  };
};

export async function listProjects(database: Database, k: Keeper): Promise<{ projects: ProjectRow[] }> {
  return { projects: (await database.rows<Row>(rowsSql(sharedScopeSql(k)))).map(toRow) };
}

type Place = { street: string | null; community: string | null };

/** A project the manager may change, or 404 / 403. */
async function managedProject(database: Database, k: Keeper, id: number) {
  const [row] = await database.rows<{ street_id: string | null; community_id: string | null; status: ProjectStatus; starts_on: string | null; ends_on: string | null }>(sql`
    SELECT street_id, community_id, status, starts_on, ends_on FROM list_projects WHERE id = ${id}`);
  if (!row) throw new ApiError('project_not_found', `no project ${id}`, { id });
  if (!installationAdmin(k) && !(k.areaLevel === 'street' ? row.street_id === k.street : row.community_id === k.community)) throw forbidden(`project ${id}`);
  return row;
}

/** Refuses ids that are not needs (or resources) of the project's community, or of its street for a street-wide one. */
async function checkLinks(database: Database, place: Place, table: 'list_needs' | 'list_resources', field: string, ids: number[]) {
  if (!ids.length) return;
  const within = place.community
    ? (table === 'list_needs' ? sql`community_id = ${place.community}` : sql`(community_id = ${place.community} OR (community_id IS NULL AND street_id = ${place.street}))`)
    : sql`street_id = ${place.street}`;
  const found = await database.rows<{ id: number }>(sql`
    SELECT id FROM ${sql.identifier(table)} WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) AND ${within}`);
  const known = new Set(found.map((r) => Number(r.id)));
  const refused = [...new Set(ids)].filter((i) => !known.has(i));
  if (refused.length) throw new ApiError('list_link_out_of_scope', `${field} ${refused.join(', ')} are not in the project's community`, { field, ids: refused });
}

/** Replaces a project's links of one kind, inside the writing transaction. */
async function relink(tx: Db, projectId: number, table: 'list_project_needs' | 'list_project_resources', ids: number[]) {
  const column = table === 'list_project_needs' ? sql`need_id` : sql`resource_id`;
  await tx.execute(sql`DELETE FROM ${sql.identifier(table)} WHERE project_id = ${projectId}`);
  if (!ids.length) return;
  await tx.execute(sql`
    INSERT INTO ${sql.identifier(table)} (project_id, ${column})
    SELECT ${projectId}, v FROM (VALUES ${sql.join([...new Set(ids)].map((i) => sql`(${i}::int)`), sql`, `)}) AS l(v)`);
}

function checkDates(startsOn: string | null | undefined, endsOn: string | null | undefined) {
  if (startsOn && endsOn && endsOn < startsOn) throw new ApiError('invalid_period', `the project ends (${endsOn}) before it starts (${startsOn})`, { field: 'endsOn' });
}

export async function createProject(database: Database, k: Keeper, input: ProjectInput): Promise<number> {
  listManager(k);
  const place = await sharedPlace(database, k, input.communityId);
  checkDates(input.startsOn, input.endsOn);
  await checkLinks(database, place, 'list_needs', 'needIds', input.needIds);
  await checkLinks(database, place, 'list_resources', 'resourceIds', input.resourceIds);
  return database.db.transaction(async (tx) => {
    const [row] = rowsOf<{ id: number }>(await tx.execute(sql`
      INSERT INTO list_projects (street_id, community_id, title, summary, status, starts_on, ends_on, participants, outcome)
      VALUES (${place.street}, ${place.community}, ${input.title}, ${input.summary ?? null}, ${input.status}, ${input.startsOn ?? null},
        ${input.endsOn ?? null}, ${input.participants ?? null}, ${input.outcome ?? null})
      RETURNING id`));
    const id = Number(row.id);
    await relink(tx, id, 'list_project_needs', input.needIds);
    await relink(tx, id, 'list_project_resources', input.resourceIds);
    await tx.execute(auditSql(k, 'project_created', sql`${`project:${id}`}`, `needs ${input.needIds.length}, resources ${input.resourceIds.length}`));
    return id;
  });
}

/** Changes the fields given; a status moves only along projectTransitions (else 409), guarded against a concurrent move. */
export async function editProject(database: Database, k: Keeper, id: number, input: ProjectEdit): Promise<void> {
  listManager(k);
  const row = await managedProject(database, k, id);
  const place = { street: row.street_id, community: row.community_id };
  if (input.status !== undefined && input.status !== row.status && !projectTransitions[row.status].includes(input.status)) {
    throw new ApiError('list_transition_refused', `a ${row.status} project cannot become ${input.status}`, { from: row.status, to: input.status, allowed: projectTransitions[row.status] });
  }
  checkDates(input.startsOn === undefined ? row.starts_on : input.startsOn, input.endsOn === undefined ? row.ends_on : input.endsOn);
  if (input.needIds) await checkLinks(database, place, 'list_needs', 'needIds', input.needIds);
  if (input.resourceIds) await checkLinks(database, place, 'list_resources', 'resourceIds', input.resourceIds);
  const sets: SQL[] = [sql`updated_at = now()`];
  if (input.title !== undefined) sets.push(sql`title = ${input.title}`);
  if (input.summary !== undefined) sets.push(sql`summary = ${input.summary || null}`);
  if (input.status !== undefined) sets.push(sql`status = ${input.status}`);
  if (input.startsOn !== undefined) sets.push(sql`starts_on = ${input.startsOn || null}`);
  if (input.endsOn !== undefined) sets.push(sql`ends_on = ${input.endsOn || null}`);
  if (input.participants !== undefined) sets.push(sql`participants = ${input.participants}`);
  if (input.outcome !== undefined) sets.push(sql`outcome = ${input.outcome || null}`);
  await database.db.transaction(async (tx) => {
    const moved = rowsOf(await tx.execute(sql`UPDATE list_projects SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND status = ${row.status} RETURNING id`));
    if (!moved.length) throw new ApiError('list_transition_refused', `project ${id} was changed meanwhile; reload it`, { from: row.status, to: input.status ?? row.status, allowed: [] });
    if (input.needIds) await relink(tx, id, 'list_project_needs', input.needIds);
    if (input.resourceIds) await relink(tx, id, 'list_project_resources', input.resourceIds);
    await tx.execute(auditSql(k, 'project_updated', sql`${`project:${id}`}`, input.status && input.status !== row.status ? `${fieldsOf(input)}: ${row.status}→${input.status}` : fieldsOf(input)));
  });
}

/** A month's progress entry, with its audit line. */
export async function addProgress(database: Database, k: Keeper, id: number, input: ProgressInput): Promise<number> {
  listManager(k);
  await managedProject(database, k, id);
  const [row] = await database.rows<{ id: number }>(sql`
    WITH m AS (
      INSERT INTO list_project_progress (project_id, month, note, participants, author)
      VALUES (${id}, ${input.month}, ${input.note}, ${input.participants ?? null}, ${k.name})
      RETURNING id),
    e AS (${auditSql(k, 'project_progress', sql`${`project:${id}`}`, input.month)})
    SELECT id FROM m`);
  return Number(row.id);
}
