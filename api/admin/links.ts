import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../contract/wire.ts';
import type { IssuedLink } from '../contract/admin.ts';
import { hashToken } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import { checkManagedArea, inManagedAreas } from './scope.ts';

// Kiosk links (a wall screen's read-only /wall?kiosk=…) and Open311 API keys: made with a label,
// listed, revoked. The token or key is answered once, when made; the tables keep its sha256 and
// its last four characters, so a list can tell links apart and a copied table opens nothing.

const newSecret = () => randomBytes(24).toString('base64url');
const hintOf = (secret: string) => secret.slice(-4);

const linkColumns = sql`k.id, k.label, k.hint, to_json(k.created_at) #>> '{}' AS "createdAt", k.created_by AS "createdBy",
  to_json(k.revoked_at) #>> '{}' AS "revokedAt"`;

/** The kiosk links of the administrator's areas, newest first. */
export async function listKioskLinks(database: Database, user: StaffUser): Promise<IssuedLink[]> {
  return database.rows<IssuedLink>(sql`
    SELECT ${linkColumns}, k.area_id AS "areaId", a.name AS "areaName"
    FROM kiosk_tokens k JOIN areas a ON a.id = k.area_id
    WHERE ${inManagedAreas(user, sql`k.area_id`)} ORDER BY k.id DESC`);
}

/** A kiosk link for an area the administrator manages; answers it with its token (shown this once). */
export async function createKioskLink(database: Database, user: StaffUser, input: { label: string; areaId: string }) {
  await checkManagedArea(database, user, input.areaId);
  const token = newSecret();
  const [row] = await database.rows<{ id: number }>(sql`
    WITH k AS (
      INSERT INTO kiosk_tokens (token_hash, hint, area_id, label, created_by)
      VALUES (${hashToken(token)}, ${hintOf(token)}, ${input.areaId}, ${input.label}, ${user.username}) RETURNING id
    ),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'kiosk_created', 'kiosk:' || id, ${input.label} FROM k)
    SELECT id FROM k`);
  const link = (await listKioskLinks(database, user)).find((l) => l.id === row.id)!;
  return { link, token };
}

/** Revokes a kiosk link of the administrator's areas: the wall showing it goes dark at its next call. */
export async function revokeKioskLink(database: Database, user: StaffUser, id: number): Promise<IssuedLink> {
  const [found] = await database.rows<{ managed: boolean }>(sql`
    SELECT ${inManagedAreas(user, sql`area_id`)} AS managed FROM kiosk_tokens WHERE id = ${id}`);
  if (!found) throw new ApiError('kiosk_not_found', `no kiosk link ${id}`);
  if (!found.managed) throw new ApiError('out_of_scope', 'this kiosk link shows an area outside yours');
  await database.rows(sql`
    WITH k AS (UPDATE kiosk_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} AND revoked_at IS NULL RETURNING id, label)
    INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'kiosk_revoked', 'kiosk:' || id, label FROM k RETURNING id`);
  return (await listKioskLinks(database, user)).find((l) => l.id === id)!;
}

// ---------------------------------------------------------------- Open311 API keys (street administrator only)

export async function listApiKeys(database: Database): Promise<IssuedLink[]> {
  return database.rows<IssuedLink>(sql`
    SELECT ${linkColumns}, NULL AS "areaId", NULL AS "areaName" FROM api_keys k ORDER BY k.id DESC`);
}

/** A new API key; answers it with the key (shown this once). */
export async function createApiKey(database: Database, user: StaffUser, label: string) {
  const key = newSecret();
  const [row] = await database.rows<{ id: number }>(sql`
    WITH k AS (INSERT INTO api_keys (key_hash, hint, label, created_by) VALUES (${hashToken(key)}, ${hintOf(key)}, ${label}, ${user.username}) RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'api_key_created', 'api_key:' || id, ${label} FROM k)
    SELECT id FROM k`);
  const entry = (await listApiKeys(database)).find((k) => k.id === row.id)!;
  return { key: entry, secret: key };
}

export async function revokeApiKey(database: Database, user: StaffUser, id: number): Promise<IssuedLink> {
  const [row] = await database.rows<{ id: number }>(sql`SELECT id FROM api_keys WHERE id = ${id}`);
  if (!row) throw new ApiError('api_key_not_found', `no API key ${id}`);
  await database.rows(sql`
    WITH k AS (UPDATE api_keys SET revoked_at = now() WHERE id = ${id} AND revoked_at IS NULL RETURNING id, label)
    INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username}, 'api_key_revoked', 'api_key:' || id, label FROM k RETURNING id`);
  return (await listApiKeys(database)).find((k) => k.id === id)!;
}

/** The latest admin events a user may read: a street administrator all, a secretary their own and those about their people. */
export async function recentAdminEvents(database: Database, user: StaffUser, limit: number) {
  const mine = user.role === 'street_admin' ? sql`TRUE` : sql`(actor = ${user.username} OR subject IN (
    SELECT s.id FROM staff s WHERE ${inManagedAreas(user, sql`s.area_id`)}
    UNION ALL SELECT a.username FROM accounts a JOIN staff s ON s.id = a.staff_id WHERE ${inManagedAreas(user, sql`s.area_id`)}))`;
  return database.rows<{ id: number; at: string; actor: string; action: string; subject: string | null; note: string | null }>(sql`
    SELECT id, to_json(at) #>> '{}' AS at, actor, action, subject, note FROM admin_events WHERE ${mine} ORDER BY id DESC LIMIT ${limit}`);
}
