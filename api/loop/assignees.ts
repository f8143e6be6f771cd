import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { heldStatuses, dispatchOrder, workingRoles } from '../contract/vocabulary.ts';
import type { Assignee } from '../contract/wire.ts';
import { inScope, type StaffUser } from '../auth/session.ts';
import { sqlList } from '../db/sql-list.ts';
import type { RequestRow } from './request-row.ts';

/**
 * Whom a request can be dispatched to: working staff whose scope holds it (the same `inScope` rule
 * that lets them act on it), with how many requests they already hold, workers of its grid first.
 */
const rank = (role: string) => (dispatchOrder as readonly string[]).indexOf(role);

export async function assigneesOf(database: Database, row: RequestRow): Promise<Assignee[]> {
  const areas = [row.streetId, row.communityId, row.gridId, row.microgridId].filter((id): id is string => !!id);
  if (!areas.length) return [];
  const people = await database.rows<{ id: string; name: string; role: Assignee['role']; areaId: string; areaLevel: StaffUser['areaLevel']; open: number }>(sql`
    SELECT s.id, s.name, s.role, s.area_id AS "areaId", a.level AS "areaLevel",
      (SELECT count(*)::int FROM requests q WHERE q.assignee_id = s.id AND q.status IN ${sqlList(heldStatuses)}) AS open
    FROM staff s JOIN areas a ON a.id = s.area_id
    WHERE s.area_id IN ${sqlList(areas)} AND s.role IN ${sqlList(workingRoles)}`);
  return people
    .filter((p) => inScope({ username: '', staffId: p.id, name: p.name, role: p.role, areaId: p.areaId, areaName: '', areaLevel: p.areaLevel }, row))
    .sort((a, b) => rank(a.role) - rank(b.role) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => ({ id: p.id, name: p.name, role: p.role, areaId: p.areaId, openRequests: Number(p.open) }));
}
