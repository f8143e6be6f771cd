import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError, forbidden } from '../errors.ts';
import { boardWishStatuses, wishTransitions, type ClaimantKind, type WishBoardState, type WishStatus } from '../contract/vocabulary.ts';
import type { WishBoard, WishClaim, WishEdit, WishInput, WishMove, WishRow } from '../contract/lists.ts';
import { seal, sealOptional, unseal } from '../care/seal.ts';
import { auditSql, fieldsOf, gridPlace, gridScopeSql, mayKeepGrid, sharedScopeSql, yes, type Keeper } from './scope.ts';

// 微心愿认领 (docs/lists.md): a small wish posted by or for a household, claimed by a volunteer or a
// unit, fulfilled, then confirmed with the household (vocabulary: wishTransitions). The wish in the
// household's words and whose it is are sealed and staff-only; the public board shows only the
// summary staff wrote for it, and only while it waits or is claimed.

type Row = {
  id: number; street_id: string | null; community_id: string | null; grid_id: string; grid_name: string | null;
  building_id: string | null; building_name: string | null; wish_sealed: string; household_sealed: string | null; public_summary: string | null;
  status: WishStatus; claimant_kind: ClaimantKind | null; claimant_name: string | null; claimant_resource_id: number | null; note: string | null;
  created: string; claimed: string | null; fulfilled: string | null; confirmed: string | null;
  offer_name: string | null; offered: string | null; claimant_phone_sealed: string | null;
};

const rowsSql = (where: SQL) => sql`
  SELECT x.id, x.street_id, x.community_id, x.grid_id, g.name AS grid_name, x.building_id, coalesce(b.name, b.number) AS building_name,
    x.wish_sealed, x.household_sealed, x.public_summary, x.status, x.claimant_kind, x.claimant_name, x.claimant_resource_id, x.note,
    to_json(x.created_at) #>> '{}' AS created, to_json(x.claimed_at) #>> '{}' AS claimed,
    to_json(x.fulfilled_at) #>> '{}' AS fulfilled, to_json(x.confirmed_at) #>> '{}' AS confirmed,
    x.offer_name, to_json(x.offer_at) #>> '{}' AS offered, x.claimant_phone_sealed
  FROM list_wishes x LEFT JOIN areas g ON g.id = x.grid_id LEFT JOIN buildings b ON b.id = x.building_id
  WHERE ${where}
  ORDER BY CASE x.status WHEN 'posted' THEN 0 WHEN 'claimed' THEN 1 WHEN 'fulfilled' THEN 2 ELSE 3 END, x.id DESC`;

const toRow = (r: Row): WishRow => ({
  id: Number(r.id), communityId: r.community_id, gridId: r.grid_id, gridName: r.grid_name, buildingId: r.building_id, buildingName: r.building_name,
  wish: unseal(r.wish_sealed, 'wish'), household: unseal(r.household_sealed, 'wish_household'), publicSummary: r.public_summary,
  status: r.status, claimantKind: r.claimant_kind, claimantName: r.claimant_name,
  claimantResourceId: r.claimant_resource_id === null ? null : Number(r.claimant_resource_id), note: r.note,
  offer: r.offer_name && r.offered ? { name: r.offer_name, phone: unseal(r.claimant_phone_sealed, claimantPhoneField), at: r.offered } : null,
  claimantPhone: r.offer_name ? null : unseal(r.claimant_phone_sealed, claimantPhoneField),
  createdAt: r.created, claimedAt: r.claimed, fulfilledAt: r.fulfilled, confirmedAt: r.confirmed,
});

export async function listWishes(database: Database, k: Keeper) {
  const wishes = (await database.rows<Row>(rowsSql(gridScopeSql(k)))).map(toRow);
  const counts: Record<string, number> = {};
  for (const w of wishes) counts[w.status] = (counts[w.status] ?? 0) + 1;
  return { wishes, counts };
}

async function wishRow(database: Database, k: Keeper, id: number): Promise<Row> {
  const [row] = await database.rows<Row>(rowsSql(sql`x.id = ${id}`));
  if (!row) throw new ApiError('wish_not_found', `no wish ${id}`, { id });
  if (!mayKeepGrid(k, row)) throw forbidden(`wish ${id}`);
  return row;
}

export async function createWish(database: Database, k: Keeper, input: WishInput): Promise<number> {
  const place = await gridPlace(database, k, input);
  const [row] = await database.rows<{ id: number }>(sql`
    WITH w AS (
      INSERT INTO list_wishes (street_id, community_id, grid_id, building_id, wish_sealed, household_sealed, public_summary)
      VALUES (${place.street_id}, ${place.community_id}, ${place.grid_id}, ${input.buildingId ?? null}, ${seal(input.wish, 'wish')},
        ${sealOptional(input.household, 'wish_household')}, ${input.publicSummary || null})
      RETURNING id),
    e AS (${auditSql(k, 'wish_created', sql`(SELECT 'wish:' || id FROM w)`, input.publicSummary ? 'published' : null)})
    SELECT id FROM w`);
  return Number(row.id);
}

/** Changes the wish's words, whose it is, or its public summary ('' takes it off the board). */
export async function editWish(database: Database, k: Keeper, id: number, input: WishEdit): Promise<void> {
  await wishRow(database, k, id);
  const sets: SQL[] = [sql`updated_at = now()`];
  if (input.wish !== undefined) sets.push(sql`wish_sealed = ${seal(input.wish, 'wish')}`);
  if (input.household !== undefined) sets.push(sql`household_sealed = ${sealOptional(input.household, 'wish_household')}`);
  if (input.publicSummary !== undefined) sets.push(sql`public_summary = ${input.publicSummary || null}`);
  await database.rows(sql`
    WITH w AS (UPDATE list_wishes SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING id)
    ${auditSql(k, 'wish_updated', sql`(SELECT 'wish:' || id FROM w)`, fieldsOf(input))}`);
}

/** The field name bound into a claimant's sealed phone (api/care/seal.ts). */
const claimantPhoneField = 'wish_claimant_phone';

/**
 * Who claims: a unit of the resources list the keeper sees (its name), a volunteer or unit by name,
 * or — neither given — the volunteer whose claim from the public board waits (staff confirming it).
 */
async function claimant(database: Database, k: Keeper, move: WishMove, offer: string | null): Promise<{ kind: ClaimantKind; name: string; resourceId: number | null; fromOffer?: true }> {
  if (move.claimantResourceId !== undefined) {
    const [r] = await database.rows<{ id: number; name: string }>(sql`
      SELECT x.id, x.name FROM list_resources x WHERE x.id = ${move.claimantResourceId} AND ${sharedScopeSql(k)}`);
    if (!r) throw new ApiError('list_link_out_of_scope', `resource ${move.claimantResourceId} is not one of your community's`, { field: 'claimantResourceId', ids: [move.claimantResourceId] });
    return { kind: 'unit', name: r.name, resourceId: Number(r.id) };
  }
  if (!move.claimantName && offer) return { kind: 'volunteer', name: offer, resourceId: null, fromOffer: true };
  if (!move.claimantName) throw new ApiError('required', 'claimantName (or claimantResourceId) is required to claim a wish', 'claimantName');
  return { kind: move.claimantKind ?? 'volunteer', name: move.claimantName, resourceId: null };
}

/** One step of the wish along wishTransitions (else 409), guarded so two claims cannot both win. */
export async function moveWish(database: Database, k: Keeper, id: number, move: WishMove): Promise<WishStatus> {
  const row = await wishRow(database, k, id);
  const from = row.status;
  if (!wishTransitions[from].includes(move.to)) {
    throw new ApiError('list_transition_refused', `a ${from} wish cannot become ${move.to}`, { from, to: move.to, allowed: wishTransitions[from] });
  }
  const sets: SQL[] = [sql`status = ${move.to}`, sql`updated_at = now()`];
  if (move.to === 'claimed' && from === 'posted') {
    const who = await claimant(database, k, move, row.offer_name);
    sets.push(sql`claimant_kind = ${who.kind}, claimant_name = ${who.name}, claimant_resource_id = ${who.resourceId}, claimed_at = now()`);
    // the volunteer's claim is now the claim (their phone kept for staff); another claimant replaces it
    sets.push(who.fromOffer ? sql`offer_name = NULL, offer_at = NULL` : sql`offer_name = NULL, offer_at = NULL, claimant_phone_sealed = NULL`);
  }
  if (move.to === 'posted') sets.push(sql`claimant_kind = NULL, claimant_name = NULL, claimant_resource_id = NULL, claimed_at = NULL, claimant_phone_sealed = NULL`);
  if (move.to === 'withdrawn') sets.push(sql`offer_name = NULL, offer_at = NULL, claimant_phone_sealed = CASE WHEN offer_name IS NULL THEN claimant_phone_sealed END`);
  if (move.to === 'fulfilled') sets.push(sql`fulfilled_at = now()`);
  if (move.to === 'claimed' && from === 'fulfilled') sets.push(sql`fulfilled_at = NULL`);
  if (move.to === 'confirmed') sets.push(sql`confirmed_at = now()`);
  if (move.note !== undefined) sets.push(sql`note = ${move.note || null}`);
  const [moved] = await database.rows<{ id: number }>(sql`
    WITH w AS (UPDATE list_wishes SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND status = ${from} RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${k.username || k.staffId}, 'wish_moved', 'wish:' || id, ${`${from}→${move.to}`} FROM w)
    SELECT id FROM w`);
  if (!moved) {
    const [now] = await database.rows<{ status: WishStatus }>(sql`SELECT status FROM list_wishes WHERE id = ${id}`);
    throw new ApiError('list_transition_refused', `wish ${id} moved meanwhile to ${now.status}; reload it`, { from: now.status, to: move.to, allowed: wishTransitions[now.status] });
  }
  return move.to;
}

/** The public board (no session): the summaries staff published, with the community's and grid's names and where the wish stands — nothing of the household or the volunteer. */
export async function wishBoard(database: Database, community: string | undefined): Promise<WishBoard> {
  const rows = await database.rows<{ id: number; summary: string; grid_name: string | null; community_name: string | null; status: WishStatus; offered: boolean; posted: string }>(sql`
    SELECT x.id, x.public_summary AS summary, g.name AS grid_name, c.name AS community_name, x.status, x.offer_at IS NOT NULL AS offered,
      to_char(x.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS posted
    FROM list_wishes x LEFT JOIN areas g ON g.id = x.grid_id LEFT JOIN areas c ON c.id = x.community_id
    WHERE x.public_summary IS NOT NULL AND x.status IN (${sql.join(boardWishStatuses.map((s) => sql`${s}`), sql`, `)})
      AND (${community ?? null}::text IS NULL OR x.community_id = ${community ?? null})
    ORDER BY CASE x.status WHEN 'posted' THEN 0 WHEN 'claimed' THEN 1 ELSE 2 END, x.id DESC LIMIT 200`);
  const state = (r: (typeof rows)[number]): WishBoardState =>
    r.status === 'posted' ? (yes(r.offered) ? 'offered' : 'posted') : r.status === 'claimed' ? 'claimed' : 'fulfilled';
  return { wishes: rows.map((r) => ({ id: Number(r.id), summary: r.summary, gridName: r.grid_name, communityName: r.community_name, status: state(r), postedOn: r.posted })) };
}

/**
 * A volunteer claims a published, waiting wish from the public board (no session): their name and
 * phone (sealed) wait for staff to confirm the claim. Guarded so that of two claims at once one
 * wins; a wish not on the board is 404, one already claimed or waiting on a claim 409 `wish_taken`.
 * The audit line names no one.
 */
export async function offerClaim(database: Database, id: number, claim: WishClaim): Promise<void> {
  const [taken] = await database.rows<{ id: number }>(sql`
    WITH w AS (
      UPDATE list_wishes SET offer_name = ${claim.name}, offer_at = now(), claimant_phone_sealed = ${seal(claim.phone, claimantPhoneField)}, updated_at = now()
      WHERE id = ${id} AND public_summary IS NOT NULL AND status = 'posted' AND offer_at IS NULL RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT 'public', 'wish_offered', 'wish:' || id FROM w)
    SELECT id FROM w`);
  if (taken) return;
  const [row] = await database.rows<{ status: WishStatus }>(sql`SELECT status FROM list_wishes WHERE id = ${id} AND public_summary IS NOT NULL`);
  if (!row) throw new ApiError('wish_not_found', `no wish ${id} on the board`, { id });
  throw new ApiError('wish_taken', `wish ${id} was claimed already`, { id });
}

/** Staff turn down a volunteer's claim: the wish waits again on the board, the volunteer's name and phone are gone. */
export async function declineOffer(database: Database, k: Keeper, id: number): Promise<void> {
  await wishRow(database, k, id);
  const [done] = await database.rows<{ id: number }>(sql`
    WITH w AS (UPDATE list_wishes SET offer_name = NULL, offer_at = NULL, claimant_phone_sealed = NULL, updated_at = now()
      WHERE id = ${id} AND status = 'posted' AND offer_at IS NOT NULL RETURNING id),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${k.username || k.staffId}, 'wish_offer_declined', 'wish:' || id FROM w)
    SELECT id FROM w`);
  if (!done) throw new ApiError('no_offer', `no volunteer's claim waits on wish ${id}`, { id });
}
