
import { sql } from 'drizzle-orm';
import {
  boolean, check, customType, date, index, integer, jsonb, pgTable, primaryKey, real, serial, smallint, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import { lineString, multiPolygon, point } from './geometry.ts';
import { openStatusSql } from './open-status.ts';
import { unsettledSql } from './settled.ts';
import type { EventDetail } from '../contract/wire.ts';
import { areaKinds, areaLevels, notificationKinds, outboxChannels, requestStatuses, staffRoles } from '../contract/vocabulary.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/** street → community → grid → microgrid, one table: the levels share every column. */
export const areas = pgTable('areas', {
  id: text('id').primaryKey(), // stable code (MS-XSL-G01): printed on QR codes
  level: text('level', { enum: areaLevels }).notNull(),
  kind: text('kind', { enum: areaKinds }).notNull().default('regular'),
  name: text('name').notNull(),
  parentId: text('parent_id').references((): any => areas.id),
  // ordinal among siblings: drawing colour for the map; neighbours get different ones
  colorIndex: smallint('color_index').notNull().default(0),
  geom: multiPolygon('geom').notNull(),
  // where the area's name is drawn: the centre of its widest inscribed circle, placed when the
  // boundary is written (costly: ≈0.3 ms an area), not each time the tiles are cut
  labelPoint: point('label_point'),
}, (t) => [
  index('areas_geom_idx').using('gist', t.geom),
  index('areas_parent_idx').on(t.parentId),
  index('areas_level_idx').on(t.level),
]);

export const compounds = pgTable('compounds', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  address: text('address'),
  microgridId: text('microgrid_id').references(() => areas.id),
  geom: multiPolygon('geom').notNull(),
}, (t) => [index('compounds_geom_idx').using('gist', t.geom)]);

export const gates = pgTable('gates', {
  id: text('id').primaryKey(),
  compoundId: text('compound_id').notNull().references(() => compounds.id),
  name: text('name').notNull(),
  main: boolean('main').notNull().default(false),
  geom: point('geom').notNull(),
}, (t) => [index('gates_geom_idx').using('gist', t.geom)]);

export const buildings = pgTable('buildings', {
  id: text('id').primaryKey(),
  compoundId: text('compound_id').references(() => compounds.id),
  number: text('number'),
  name: text('name'),
  floors: smallint('floors'),
  units: smallint('units'),
  use: text('use').notNull().default('residential'),
  geom: multiPolygon('geom').notNull(),
  // visit coverage (issue 11 §3): the grid its point on surface lies in (assign_point), set by the
  // database on every insert and move, and by an area import or reshape in its transaction
  gridId: text('grid_id').references((): any => areas.id),
}, (t) => [index('buildings_geom_idx').using('gist', t.geom), index('buildings_compound_idx').on(t.compoundId), index('buildings_grid_idx').on(t.gridId)]);

export const entrances = pgTable('entrances', {
  id: text('id').primaryKey(),
  buildingId: text('building_id').notNull().references(() => buildings.id),
  unit: smallint('unit').notNull(),
  name: text('name').notNull(),
  geom: point('geom').notNull(),
}, (t) => [index('entrances_geom_idx').using('gist', t.geom)]);

/** Basemap lines and polygons: drawn, never assigned to. */
export const roads = pgTable('roads', {
  id: text('id').primaryKey(),
  name: text('name'),
  class: text('class').notNull(),
  geom: lineString('geom').notNull(),
}, (t) => [index('roads_geom_idx').using('gist', t.geom)]);

export const landuse = pgTable('landuse', {
  id: text('id').primaryKey(),
  class: text('class').notNull(),
  name: text('name'),
  geom: multiPolygon('geom').notNull(),
}, (t) => [index('landuse_geom_idx').using('gist', t.geom)]);

export const pois = pgTable('pois', {
  id: text('id').primaryKey(),
  category: text('category').notNull(),
  name: text('name').notNull(),
  address: text('address'),
  phone: text('phone'), // a service point's phone is public by nature
  openingHours: text('opening_hours'), // OpenStreetMap opening_hours syntax
  activities: jsonb('activities').$type<{ name: string; schedule: string }[]>().notNull().default([]),
  geom: point('geom').notNull(),
}, (t) => [index('pois_geom_idx').using('gist', t.geom), index('pois_category_idx').on(t.category)]);

export const staff = pgTable('staff', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: staffRoles }).notNull(),
  phone: text('phone'),
  phonePublic: boolean('phone_public').notNull().default(false), // only public phones leave the server
  // notifications that leave the system (docs/notifications.md): PRIVATE, never in a public response or a log
  email: text('email'),
  notifySms: boolean('notify_sms').notNull().default(false), // their notifications as SMS to `phone` (webhook sender)
  areaId: text('area_id').references(() => areas.id),
  geom: point('geom'),
}, (t) => [index('staff_area_idx').on(t.areaId)]);

export const requests = pgTable('requests', {
  id: serial('id').primaryKey(),
  ticket: text('ticket').notNull(),
  category: text('category').notNull(),
  description: text('description').notNull(),
  channel: text('channel').notNull().default('qr'),
  status: text('status', { enum: requestStatuses }).notNull().default('collected'),
  // the street's parent when it has one (区/县): kept equal to it by filing and by every area import
  districtId: text('district_id').references(() => areas.id),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').references(() => areas.id),
  microgridId: text('microgrid_id').references(() => areas.id),
  contact: text('contact'), // PRIVATE: reporter's phone; never in a public response
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  geom: point('geom').notNull(),
  // the closed loop (issue 4): who holds it, by when, how far up it went, how it ended
  assigneeId: text('assignee_id').references(() => staff.id),
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  claimDeadline: timestamp('claim_deadline', { withTimezone: true }),
  resolveDeadline: timestamp('resolve_deadline', { withTimezone: true }),
  escalationLevel: smallint('escalation_level').notNull().default(0), // 0 grid worker, 1 mediator, 2 community, 3 street
  outcome: text('outcome'),
  rating: smallint('rating'), // 1–5 from the resident
  ratedAt: timestamp('rated_at', { withTimezone: true }), // when the rating it holds was given (with it, or null with it)
  ratingNote: text('rating_note'),
  meToo: integer('me_too').notNull().default(0), // residents who reported the same thing
  duplicateOf: integer('duplicate_of'),
  // the public view shows no description until staff in scope publish one (their own wording, or
  // the resident's, redacted as they see fit): api/loop/privacy.ts
  publishedDescription: text('published_description'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  publishedBy: text('published_by'),
  // issue 10 (worker's place, staff intake, lookup code): the building the resident or staff
  // picked by search, the hotline's own case number (12345), the reporter's name taken by staff
  // (PRIVATE, like contact), and failed lookup-code tries (throttled: api/loop/lookup-code.ts)
  buildingId: text('building_id').references(() => buildings.id),
  channelRef: text('channel_ref'),
  reporterName: text('reporter_name'),
  codeFailures: smallint('code_failures').notNull().default(0),
  codeFailedAt: timestamp('code_failed_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('requests_ticket_idx').on(t.ticket),
  index('requests_geom_idx').using('gist', t.geom),
  index('requests_grid_status_idx').on(t.gridId, t.status),
  index('requests_created_idx').on(t.createdAt),
  // the 三率 of an area for a period (api/rates/rates.ts): the area's requests filed in it
  index('requests_district_created_idx').on(t.districtId, t.createdAt),
  index('requests_street_created_idx').on(t.streetId, t.createdAt),
  index('requests_community_created_idx').on(t.communityId, t.createdAt),
  index('requests_grid_created_idx').on(t.gridId, t.createdAt),
  // requests by viewport (issue 12 §2): the open ones — a few thousand of a county's million — by
  // place for markers and by area for the per-area counts (api/live/viewport.ts)
  index('requests_open_geom_idx').using('gist', t.geom).where(openStatusSql('status')),
  index('requests_open_grid_idx').on(t.gridId, t.communityId, t.streetId).where(openStatusSql('status')),
  // the 三率 rollup (issue 11): the requests not yet settled into rate_months, read live by area and month (api/rates/rollup.ts)
  index('requests_unsettled_created_idx').on(t.createdAt).where(unsettledSql),
  index('requests_unsettled_district_idx').on(t.districtId, t.createdAt).where(unsettledSql),
  index('requests_unsettled_street_idx').on(t.streetId, t.createdAt).where(unsettledSql),
  index('requests_unsettled_community_idx').on(t.communityId, t.createdAt).where(unsettledSql),
  index('requests_unsettled_grid_idx').on(t.gridId, t.createdAt).where(unsettledSql),
  // requests by viewport: the few outside every community, counted row by row beside day_counts' sums (api/live/closed-count.ts)
  index('requests_communityless_created_idx').on(t.createdAt).where(sql`community_id IS NULL`),
  check('requests_rated_at_with_rating', sql`(rating IS NULL) = (rated_at IS NULL)`),
]);

/** Append-only: every change to a request, who made it and when. */
/** A transaction id (PostgreSQL's 64-bit xid8, never wrapping), read as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const requestEvents = pgTable('request_events', {
  id: serial('id').primaryKey(),
  requestId: integer('request_id').notNull().references(() => requests.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(), // 'resident', 'system', or a staff id
  action: text('action').notNull(), // 'filed', 'assigned', 'status', 'note', …
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  note: text('note'),
  // what the server knows beyond the note, as data the pages word (api/contract/wire.ts EventDetail)
  detail: jsonb('detail').$type<EventDetail>(),
  // the writing transaction: ids are drawn in one order and committed in another, so the live
  // stream hands an event out only once every older transaction has ended (api/live/hub.ts)
  xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
}, (t) => [
  index('request_events_request_idx').on(t.requestId), index('request_events_xid_idx').on(t.xid),
  // the wall's figures of today and its 30-day trend read the events of a time window (api/live/stats.ts)
  index('request_events_at_idx').on(t.at),
]);

/** A staff member's sign-in; only staff have accounts. */
export const accounts = pgTable('accounts', {
  username: text('username').primaryKey(),
  staffId: text('staff_id').notNull().references(() => staff.id),
  passwordHash: text('password_hash').notNull(), // scrypt: salt$hash
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // a disabled account signs in no more and its sessions are gone; kept for the audit trail
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
}, (t) => [uniqueIndex('accounts_staff_idx').on(t.staffId)]);

/** Who changed which account or setting, and when: `npm run user`, the setup link, removing the demo. */
export const adminEvents = pgTable('admin_events', {
  id: serial('id').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(), // a username, 'setup' (the setup link) or 'cli' (npm run user / demo)
  action: text('action').notNull(), // account_created, password_reset, account_disabled, demo_removed
  subject: text('subject'), // the username (or what else) the change is about
  note: text('note'),
  detail: jsonb('detail'), // a change on the map (api/places/edit.ts): { before, after } in WGS84 GeoJSON
});

/**
 * Wrong passwords per account and client (issue 9 §2): counted in one guarded statement before the
 * password is checked (api/auth/accounts.ts); a stranger's guesses make only their own device wait.
 */
export const signInFailures = pgTable('sign_in_failures', {
  username: text('username').notNull(), // as typed: unknown usernames are counted alike
  client: text('client').notNull(), // the client's address (api/guard/client.ts)
  failures: smallint('failures').notNull(),
  until: timestamp('until', { withTimezone: true }).notNull(), // the count expires then
}, (t) => [primaryKey({ columns: [t.username, t.client] })]);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(), // sha256 of the cookie's token: a stolen table opens nothing
  username: text('username').notNull().references(() => accounts.username, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Photos of a request (the resident's report, the worker's outcome), stored with it. */
export const requestPhotos = pgTable('request_photos', {
  id: serial('id').primaryKey(),
  requestId: integer('request_id').notNull().references(() => requests.id),
  kind: text('kind', { enum: ['report', 'progress', 'outcome'] }).notNull(),
  mime: text('mime').notNull(),
  bytes: bytea('bytes').notNull(), // re-encoded: no EXIF, no location
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('request_photos_request_idx').on(t.requestId)]);

/**
 * Read-only links for wall screens (kiosks): the token in the URL opens /wall without a login.
 * Only the token's sha256 is kept (a stolen table opens no wall); the link is shown once, when made.
 */
export const kioskTokens = pgTable('kiosk_tokens', {
  id: serial('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  hint: text('hint').notNull(), // the token's last 4 characters: which link is which, in a list
  areaId: text('area_id').notNull().references(() => areas.id),
  label: text('label').notNull(),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }), // a revoked link opens nothing; kept for the record
}, (t) => [uniqueIndex('kiosk_tokens_hash_idx').on(t.tokenHash)]);

/** Open311 API keys for systems that file requests on residents' behalf: kept as sha256, shown once. */
export const apiKeys = pgTable('api_keys', {
  id: serial('id').primaryKey(),
  keyHash: text('key_hash').notNull(),
  hint: text('hint').notNull(),
  label: text('label').notNull(),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('api_keys_hash_idx').on(t.keyHash)]);

/** Key/value facts about this database: which demo data it holds, when it was loaded. */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

// notifications (issue 9 §4, docs/notifications.md): derived by a trigger on request_events in the
// event's own transaction (migration 0008), and by the deadline job for deadlines about to pass
/** One thing a staff member is told: a new request in their grid, a dispatch, an escalation, a bad rating, a deadline. */
export const notifications = pgTable('notifications', {
  id: serial('id').primaryKey(),
  recipientId: text('recipient_id').notNull().references(() => staff.id),
  kind: text('kind', { enum: notificationKinds }).notNull(),
  requestId: integer('request_id').notNull().references(() => requests.id),
  eventId: integer('event_id'), // the audit event that caused it; null for a deadline about to pass
  dueAt: timestamp('due_at', { withTimezone: true }), // deadline_soon: the deadline it warns of
  level: smallint('level'), // escalated: the level the request went up to
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [
  index('notifications_recipient_idx').on(t.recipientId, t.id),
  // one warning per deadline and person: the minute job may run in several processes at once
  uniqueIndex('notifications_deadline_idx').on(t.recipientId, t.requestId, t.dueAt).where(sql`kind = 'deadline_soon'`),
]);

/** Messages that leave the system (e-mail, SMS through a webhook), written with their cause; a sender loop delivers them. */
export const outbox = pgTable('outbox', {
  id: serial('id').primaryKey(),
  channel: text('channel', { enum: outboxChannels }).notNull(),
  kind: text('kind').notNull(), // a notification kind, or 'resolved' for the resident's message
  requestId: integer('request_id').notNull().references(() => requests.id),
  staffId: text('staff_id').references(() => staff.id), // null: the request's reporter (requests.contact)
  notificationId: integer('notification_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  attempts: smallint('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(), // also the lease of a sender at work
  sentAt: timestamp('sent_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }), // gave up after the last retry
  lastError: text('last_error'), // never the recipient: the sender's status line
}, (t) => [index('outbox_due_idx').on(t.nextAttemptAt).where(sql`sent_at IS NULL AND failed_at IS NULL`)]);

// care ledgers (issue 11 §2, docs/care.md): personal data. Name, ID number, phone, room, notes and
// findings are sealed with AES-256-GCM by api/care/seal.ts (key outside the database): a leaked
// backup alone shows only colours, categories and which building.
/** A household needing care (五色管理台账), at a building of a grid, with its colour level and worker. */
export const careHouseholds = pgTable('care_households', {
  id: serial('id').primaryKey(),
  districtId: text('district_id').references(() => areas.id),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').references(() => areas.id),
  microgridId: text('microgrid_id').references(() => areas.id),
  buildingId: text('building_id').references(() => buildings.id),
  nameSealed: text('name_sealed').notNull(),
  nameIndex: text('name_index').notNull(), // keyed HMAC of the name: found by exact name without reading any
  idNumberSealed: text('id_number_sealed'),
  phoneSealed: text('phone_sealed'),
  roomSealed: text('room_sealed'),
  notesSealed: text('notes_sealed'),
  scheme: text('scheme').notNull().default('five'),
  colour: text('colour').notNull(),
  categories: jsonb('categories').$type<string[]>().notNull().default([]),
  workerId: text('worker_id').references(() => staff.id),
  geom: point('geom').notNull(), // the building's point: PRIVATE, staff in scope only
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('care_households_grid_idx').on(t.gridId),
  index('care_households_community_idx').on(t.communityId),
  index('care_households_street_idx').on(t.streetId),
  index('care_households_district_idx').on(t.districtId),
  index('care_households_worker_idx').on(t.workerId),
  index('care_households_name_idx').on(t.nameIndex),
]);

/**
 * Every field visit (走访, issue 11 §2–3): to a care household (入户走访: the colour before and
 * after) or to a building (巡查, 随手拍) — one table, so a household's visits owed and a grid's
 * coverage read the same rows (docs/visits.md). The place's areas are written with the visit; the
 * finding is sealed; a finding turned into a request keeps its request; a visit on a walk, its patrol.
 */
export const careVisits = pgTable('care_visits', {
  id: serial('id').primaryKey(),
  householdId: integer('household_id').references(() => careHouseholds.id, { onDelete: 'cascade' }),
  workerId: text('worker_id').references(() => staff.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  findingSealed: text('finding_sealed').notNull(),
  colourBefore: text('colour_before'),
  colourAfter: text('colour_after'),
  // field visits (issue 11 §3)
  buildingId: text('building_id').references(() => buildings.id),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').references(() => areas.id),
  microgridId: text('microgrid_id').references(() => areas.id),
  patrolId: integer('patrol_id').references(() => patrols.id, { onDelete: 'set null' }),
  requestId: integer('request_id').references(() => requests.id),
}, (t) => [
  index('care_visits_household_idx').on(t.householdId, t.at),
  index('care_visits_grid_idx').on(t.gridId, t.at),
  index('care_visits_community_idx').on(t.communityId, t.at),
  index('care_visits_street_idx').on(t.streetId, t.at),
  index('care_visits_patrol_idx').on(t.patrolId),
  index('care_visits_building_idx').on(t.buildingId, t.at), // a building's visits of the month, wherever it now lies (coverage)
  check('care_visits_place', sql`${t.householdId} IS NOT NULL OR ${t.buildingId} IS NOT NULL`),
]);

/**
 * A household's colour as staff set it (care ledger, issue 11): when it was written down and each
 * edit that changed it, with who and when — the health map's history; a visit's change is on its visit.
 */
export const careColourChanges = pgTable('care_colour_changes', {
  id: serial('id').primaryKey(),
  householdId: integer('household_id').notNull().references(() => careHouseholds.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  staffId: text('staff_id').references(() => staff.id),
  colourBefore: text('colour_before'), // null: written down at this colour
  colourAfter: text('colour_after').notNull(),
}, (t) => [index('care_colour_changes_household_idx').on(t.householdId, t.at)]);

// ---------------------------------------------------------------- field visits and patrol (issue 11 §3)

/** A patrol (巡查): a worker's walk, from start to stop, in the areas of the worker's own area. */
export const patrols = pgTable('patrols', {
  id: serial('id').primaryKey(),
  workerId: text('worker_id').notNull().references(() => staff.id),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').references(() => areas.id),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
}, (t) => [index('patrols_worker_idx').on(t.workerId, t.startedAt), index('patrols_grid_idx').on(t.gridId, t.startedAt)]);

/** Where a patrol walked: the phone's positions (WGS84), PRIVATE — exact places, staff in scope only; the track is their line. */
export const patrolPoints = pgTable('patrol_points', {
  id: serial('id').primaryKey(),
  patrolId: integer('patrol_id').notNull().references(() => patrols.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull(),
  accuracy: real('accuracy'), // metres, as the phone reports it
  geom: point('geom').notNull(),
}, (t) => [index('patrol_points_patrol_idx').on(t.patrolId, t.at)]);

/** A visit's photos: re-encoded like a request's (no EXIF, no GPS), copied to the request a finding becomes. */
export const visitPhotos = pgTable('visit_photos', {
  id: serial('id').primaryKey(),
  visitId: integer('visit_id').notNull().references(() => careVisits.id, { onDelete: 'cascade' }),
  mime: text('mime').notNull(),
  bytes: bytea('bytes').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('visit_photos_visit_idx').on(t.visitId)]);

/** 零上报: a worker's "nothing to report today" for their area, one per worker and day (Beijing time). */
export const zeroReports = pgTable('zero_reports', {
  id: serial('id').primaryKey(),
  workerId: text('worker_id').notNull().references(() => staff.id),
  day: date('day').notNull(),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').references(() => areas.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('zero_reports_worker_day_idx').on(t.workerId, t.day), index('zero_reports_grid_idx').on(t.gridId, t.day)]);

// 三项清单 (issue 11 §1, docs/lists.md): needs ↔ resources ↔ projects, and 微心愿. Staff in scope
// only; a need's or wish's words and who asks are the residents' (sealed by api/care/seal.ts, never
// public); the public wish board shows only the summary staff wrote for it.
/** A need heard in a grid (群众需求清单): what, how many households ask, where it was heard. */
export const listNeeds = pgTable('list_needs', {
  id: serial('id').primaryKey(),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').notNull().references(() => areas.id),
  buildingId: text('building_id').references(() => buildings.id),
  kind: text('kind').notNull(),
  title: text('title').notNull(), // staff's short name for it (老年助餐): what the lists and the map show
  households: integer('households').notNull().default(1),
  detailSealed: text('detail_sealed'), // PRIVATE: the residents' own words
  householdSealed: text('household_sealed'), // PRIVATE: who asks (3号楼2单元 王阿姨)
  source: text('source').notNull(),
  sourceRef: text('source_ref'), // the request's ticket, the survey, the deliberation day
  requestId: integer('request_id').references(() => requests.id),
  status: text('status').notNull().default('open'),
  geom: point('geom').notNull(), // the building's point, else the grid's label point: staff only
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('list_needs_grid_idx').on(t.gridId), index('list_needs_community_idx').on(t.communityId)]);

/** Someone the community can call on (资源共享清单): a unit, organisation, venue, volunteer team, partner. */
export const listResources = pgTable('list_resources', {
  id: serial('id').primaryKey(),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id), // null: the whole street's
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  offers: text('offers').notNull(),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'), // a unit's work contact, staff only
  availability: text('availability'),
  poiId: text('poi_id').references(() => pois.id), // a service point it runs, or that it is
  geom: point('geom'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('list_resources_community_idx').on(t.communityId)]);

/** A project that meets needs with resources (项目服务清单), with its dates, status and outcome. */
export const listProjects = pgTable('list_projects', {
  id: serial('id').primaryKey(),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  title: text('title').notNull(),
  summary: text('summary'),
  status: text('status').notNull().default('planned'),
  startsOn: text('starts_on'), // YYYY-MM-DD
  endsOn: text('ends_on'),
  participants: integer('participants'),
  outcome: text('outcome'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('list_projects_community_idx').on(t.communityId)]);

export const listProjectNeeds = pgTable('list_project_needs', {
  projectId: integer('project_id').notNull().references(() => listProjects.id, { onDelete: 'cascade' }),
  needId: integer('need_id').notNull().references(() => listNeeds.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.projectId, t.needId] }), index('list_project_needs_need_idx').on(t.needId)]);

export const listProjectResources = pgTable('list_project_resources', {
  projectId: integer('project_id').notNull().references(() => listProjects.id, { onDelete: 'cascade' }),
  resourceId: integer('resource_id').notNull().references(() => listResources.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.projectId, t.resourceId] }), index('list_project_resources_resource_idx').on(t.resourceId)]);

/** A month's progress of a project (每月更新清单, 动态跟踪问效). */
export const listProjectProgress = pgTable('list_project_progress', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => listProjects.id, { onDelete: 'cascade' }),
  month: text('month').notNull(), // YYYY-MM
  note: text('note').notNull(),
  participants: integer('participants'),
  author: text('author'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('list_project_progress_project_idx').on(t.projectId, t.month)]);

/** 微心愿: a small wish of a household, claimed, fulfilled and confirmed. */
export const listWishes = pgTable('list_wishes', {
  id: serial('id').primaryKey(),
  streetId: text('street_id').references(() => areas.id),
  communityId: text('community_id').references(() => areas.id),
  gridId: text('grid_id').notNull().references(() => areas.id),
  buildingId: text('building_id').references(() => buildings.id),
  wishSealed: text('wish_sealed').notNull(), // PRIVATE: the wish in the household's words
  householdSealed: text('household_sealed'), // PRIVATE: whose wish
  publicSummary: text('public_summary'), // staff's words for the public board; null: not on it
  status: text('status').notNull().default('posted'),
  claimantKind: text('claimant_kind'),
  claimantName: text('claimant_name'),
  claimantResourceId: integer('claimant_resource_id').references(() => listResources.id),
  note: text('note'), // how it was fulfilled or confirmed (staff's words)
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  // a volunteer's claim from the public board (issue 11, 微心愿认领): waits for staff to confirm it
  offerName: text('offer_name'),
  offerAt: timestamp('offer_at', { withTimezone: true }),
  claimantPhoneSealed: text('claimant_phone_sealed'), // PRIVATE: the volunteer's phone, staff in scope only
  fulfilledAt: timestamp('fulfilled_at', { withTimezone: true }),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('list_wishes_grid_idx').on(t.gridId), index('list_wishes_community_idx').on(t.communityId, t.status)]);

export const tables = {
  areas, compounds, gates, buildings, entrances, roads, landuse, pois, staff, requests, requestEvents,
  accounts, adminEvents, sessions, requestPhotos, kioskTokens, apiKeys, meta,
  notifications, outbox,
  careHouseholds, careVisits, // care ledgers (issue 11 §2)
  careColourChanges, // care ledger: colour history (issue 11)
  patrols, patrolPoints, visitPhotos, zeroReports, // field visits and patrol (issue 11 §3)
  listNeeds, listResources, listProjects, listProjectNeeds, listProjectResources, listProjectProgress, listWishes, // 三项清单 (issue 11 §1)
};

// shared rate limits (issue 12 §3)
/**
 * Per-address counts of the rate limits (api/guard/shared-counts.ts) on PostgreSQL, where several
 * API processes share them: a client is counted once whichever process it reaches. A fixed
 * window per key, as hono-rate-limiter's MemoryStore counts. UNLOGGED (the migration): the counts
 * are worth no WAL, no replica needs them, and a crash merely restarts them.
 */
export const rateCounts = pgTable('rate_counts', {
  key: text('key').primaryKey(), // kind:client address
  hits: integer('hits').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(), // the window ends then
});

// imports with a progress bar (issue 8 §2)
/**
 * One import run from the console (api/import/jobs.ts): its progress while it runs and its report
 * after. The importing process writes the row from a connection of its own, so any API process
 * of the installation answers the page's polls; the import's own writes stay in one transaction.
 */
export const importJobs = pgTable('import_jobs', {
  id: text('id').primaryKey(),
  actor: text('actor').notNull(), // the username that started it: only they read it
  layer: text('layer').notNull(),
  fileName: text('file_name').notNull(),
  state: text('state').notNull().default('running'), // running, done, refused, failed
  phase: text('phase').notNull().default('read'), // read, check, write, reassign
  done: integer('done').notNull().default(0),
  total: integer('total').notNull().default(0),
  report: jsonb('report'), // the LayerImportReport once finished
  error: jsonb('error'), // { code, message } when it failed
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// the 三率 rollup (issue 11 §4)
/**
 * The counts the three rates need, per area and month filed (Asia/Shanghai), of the requests whose
 * part in every rate can no longer change with time: refused ones, and resolved ones that were
 * claimed (request_settled in the migration). Kept by a statement trigger on `requests`, in the
 * writing transaction, so a late resolution, a rating, a reopening or a reassignment moves its
 * month's counts at once; the rest (open requests) is counted live (api/rates/rollup.ts).
 * `area_id` is any level's id, or '*' for the whole installation.
 */
export const rateMonths = pgTable('rate_months', {
  areaId: text('area_id').notNull(),
  month: text('month').notNull(), // YYYY-MM, the Asia/Shanghai month the requests were filed in
  filed: integer('filed').notNull().default(0),
  refused: integer('refused').notNull().default(0),
  resolved: integer('resolved').notNull().default(0),
  claimDue: integer('claim_due').notNull().default(0),
  claimedOnTime: integer('claimed_on_time').notNull().default(0),
  resolveDue: integer('resolve_due').notNull().default(0),
  resolvedOnTime: integer('resolved_on_time').notNull().default(0),
  rated: integer('rated').notNull().default(0),
  satisfied: integer('satisfied').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.areaId, t.month] })]);

/**
 * Per area and Asia/Shanghai day: the closed requests FILED that day (a map's closed requests are
 * "filed in these days": a county's month of them is ~80,000 rows to count, here a few thousand
 * sums, api/live/closed-count.ts); the requests RESOLVED that day and resolved still, and those
 * RATED that day with their ratings' sum (the wall's trend and satisfaction, api/live/stats.ts).
 * Kept by a statement trigger on `requests` in the writing transaction, like rate_months, for
 * communities and the levels above; `area_id` is one of their ids, or '*'.
 */
export const dayCounts = pgTable('day_counts', {
  areaId: text('area_id').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  closed: integer('closed').notNull().default(0),
  resolved: integer('resolved').notNull().default(0),
  rated: integer('rated').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.areaId, t.day] })]);
