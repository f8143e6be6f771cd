import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isWorkingRole, type StaffRole } from '../contract/vocabulary.ts';
import type { StaffUser } from '../contract/wire.ts';
import type { RosterEntry, StaffChange, NewStaff } from '../contract/admin.ts';
import { createAccount, disableAccount, enableAccount, newStaffId, resetPassword } from '../auth/admin.ts';
import { ApiError } from '../errors.ts';
import { checkAssignableRole, checkManagedArea, inManagedAreas } from './scope.ts';

// The roster as the console keeps it: staff members (with or without an account) in the areas the
// administrator manages. Each change is one statement with its admin_events row.

const rosterColumns = sql`s.id, s.name, s.role, s.area_id AS "areaId", ar.name AS "areaName", s.phone,
  s.phone_public AS "phonePublic", a.username, (a.disabled_at IS NOT NULL) AS disabled`;
const rosterFrom = sql`staff s LEFT JOIN accounts a ON a.staff_id = s.id LEFT JOIN areas ar ON ar.id = s.area_id`;

const readEntry = (row: RosterEntry): RosterEntry => ({ ...row, phonePublic: row.phonePublic === true, disabled: row.disabled === true });

/** Everyone in the administrator's areas, by area then name. */
export async function listRoster(database: Database, user: StaffUser): Promise<RosterEntry[]> {
  const rows = await database.rows<RosterEntry>(sql`
    SELECT ${rosterColumns} FROM ${rosterFrom}
    WHERE ${inManagedAreas(user, sql`s.area_id`)}
    ORDER BY s.area_id NULLS FIRST, s.role, s.name, s.id`);
  return rows.map(readEntry);
}

/** One staff member the administrator may change, or 404 / 403. */
export async function managedStaff(database: Database, user: StaffUser, staffId: string): Promise<RosterEntry> {
  const [row] = await database.rows<RosterEntry & { managed: boolean }>(sql`
    SELECT ${rosterColumns}, ${inManagedAreas(user, sql`s.area_id`)} AS managed FROM ${rosterFrom} WHERE s.id = ${staffId}`);
  if (!row) throw new ApiError('staff_not_found', `no staff member ${staffId}`);
  if (!row.managed) throw new ApiError('out_of_scope', `${row.name} works outside your area`);
  if (row.id !== user.staffId) checkAssignableRole(user, row.role); // a secretary keeps their own phone up to date
  const { managed: _, ...entry } = row;
  return readEntry(entry);
}

/** A new staff member; with a username also their account, whose password is answered once. */
export async function addStaff(database: Database, user: StaffUser, input: NewStaff): Promise<{ staff: RosterEntry; password: string | null }> {
  checkAssignableRole(user, input.role);
  await checkManagedArea(database, user, input.areaId ?? null);
  if (input.username) {
    const made = await createAccount(database, {
      username: input.username, role: input.role, areaId: input.areaId, name: input.name,
      phone: input.phone ?? null, phonePublic: input.phonePublic, actor: user.username,
    });
    return { staff: await managedStaff(database, user, made.staffId), password: made.password };
  }
  const staffId = newStaffId();
  await database.rows(sql`
    WITH s AS (
      INSERT INTO staff (id, name, role, phone, phone_public, area_id)
      VALUES (${staffId}, ${input.name}, ${input.role}, ${input.phone ?? null}, ${input.phonePublic ?? false}, ${input.areaId ?? null})
      RETURNING id
    )
    INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'staff_added', id, ${input.role} FROM s RETURNING id`);
  return { staff: await managedStaff(database, user, staffId), password: null };
}

/** Changes what is given of name, role, area, phone and whether the phone is public. */
export async function updateStaff(database: Database, user: StaffUser, staffId: string, change: StaffChange): Promise<RosterEntry> {
  const before = await managedStaff(database, user, staffId);
  // one's own role or area would take one's own rights away (or widen them): another administrator does it
  const ownRights = (change.role !== undefined && change.role !== before.role) || (change.areaId !== undefined && change.areaId !== before.areaId);
  if (before.username === user.username && ownRights) {
    throw new ApiError('own_account', 'you cannot change your own role or area: ask another administrator', { field: change.role !== undefined ? 'role' : 'areaId' });
  }
  if (change.role !== undefined) {
    checkAssignableRole(user, change.role);
    if (before.username && !isWorkingRole(change.role)) {
      throw new ApiError('invalid_value', `${change.role} does not sign in: disable the account first`, { field: 'role' });
    }
  }
  if (change.areaId !== undefined) await checkManagedArea(database, user, change.areaId);
  const sets: SQL[] = [];
  if (change.name !== undefined) sets.push(sql`name = ${change.name}`);
  if (change.role !== undefined) sets.push(sql`role = ${change.role}`);
  if (change.areaId !== undefined) sets.push(sql`area_id = ${change.areaId}`);
  if (change.phone !== undefined) sets.push(sql`phone = ${change.phone}`);
  if (change.phonePublic !== undefined) sets.push(sql`phone_public = ${change.phonePublic}`);
  if (sets.length === 0) return before;
  const fields = Object.keys(change).filter((k) => change[k as keyof StaffChange] !== undefined).join(', ');
  await database.rows(sql`
    WITH s AS (UPDATE staff SET ${sql.join(sets, sql`, `)} WHERE id = ${staffId} RETURNING id)
    INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'staff_updated', id, ${fields} FROM s RETURNING id`);
  return managedStaff(database, user, staffId);
}

async function accountOf(database: Database, user: StaffUser, staffId: string): Promise<string> {
  const entry = await managedStaff(database, user, staffId);
  if (!entry.username) throw new ApiError('account_not_found', `${entry.name} has no account`);
  if (entry.username === user.username) throw new ApiError('own_account', 'you cannot do this to your own account: ask another administrator');
  return entry.username;
}

/** Disables the staff member's account: no more sign-ins, every session ended. */
export async function disableStaffAccount(database: Database, user: StaffUser, staffId: string): Promise<RosterEntry> {
  await disableAccount(database, await accountOf(database, user, staffId), user.username);
  return managedStaff(database, user, staffId);
}

/** Enables the staff member's disabled account again. */
export async function enableStaffAccount(database: Database, user: StaffUser, staffId: string): Promise<RosterEntry> {
  await enableAccount(database, await accountOf(database, user, staffId), user.username);
  return managedStaff(database, user, staffId);
}

/** A new password for the staff member's account, answered once. */
export async function resetStaffPassword(database: Database, user: StaffUser, staffId: string): Promise<string> {
  return resetPassword(database, await accountOf(database, user, staffId), user.username);
}

