import { z } from 'zod';
import { errorCodes, type ErrorCode } from './errors.ts';
import { minPasswordLength, usernamePattern } from './accounts.ts';
import {
  areaKinds, areaLevels, auditActions, escalationReasons, notificationKinds, poiCategories, ratingRange, requestCategories, requestChannels, requestStatuses, unitLevels,
  staffChannels, staffRoles, timelineSteps,
} from './vocabulary.ts';

// The wire contract: what crosses between the API and its clients, as zod schemas. The API
// validates every body and query at the boundary (api/validate.ts) — through these schemas, or a
// route's own query schema beside it when no other module needs it — and shapes the request
// answers through the output schemas (api/loop/request-row.ts and friends), so a new column never
// leaks; the web's types are inferred from the same schemas (`z.infer`, type-only imports).
// Times are ISO 8601 in UTC; positions are WGS84 degrees (RFC 7946).

const iso = z.string();
const id = z.string();
export const Ref = z.object({ id, name: z.string() }).nullable();
export type Ref = z.infer<typeof Ref>;

export const RequestStatus = z.enum(requestStatuses);
export const RequestCategory = z.enum(requestCategories);
export const RequestChannel = z.enum(requestChannels);

// ---------------------------------------------------------------- inputs

/** A longitude or latitude, as a number or a query string's text: WGS84 degrees within range. */
const degrees = (field: 'lon' | 'lat', limit: number) => z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
  z.number({ error: `${field} must be a number (WGS84 degrees)` })
    .refine(Number.isFinite, { error: `${field} must be a number (WGS84 degrees)` })
    .min(-limit, { error: `${field} must be between -${limit} and ${limit} (WGS84 degrees)` })
    .max(limit, { error: `${field} must be between -${limit} and ${limit} (WGS84 degrees)` }),
);
export const Lon = degrees('lon', 180);
export const Lat = degrees('lat', 90);
export const PointQuery = z.object({ lon: Lon, lat: Lat });

/** Text a person typed: trimmed; an empty or blank string counts as not given. */
const optionalText = (max: number, field: string) => z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v === null ? undefined : v),
  z.string({ error: `${field} must be text` }).trim().max(max, { error: `${field} must be at most ${max} characters` }).optional(),
);
const requiredText = (max: number, field: string) => z.string({ error: `${field} is required: say it in a few words` })
  .trim().min(1, { error: `${field} is required: say it in a few words` }).max(max, { error: `${field} must be at most ${max} characters` });

/** POST /api/requests: what a resident files. */
export const NewRequest = z.strictObject({
  category: z.enum(requestCategories, { error: `category must be one of: ${requestCategories.join(', ')}` }),
  description: z.string({ error: 'description must be text' }).trim()
    .min(2, { error: 'description must say what the problem is (at least 2 characters)' })
    .max(2000, { error: 'description must be at most 2000 characters' }),
  lon: Lon,
  lat: Lat,
  contact: z.string({ error: 'contact must be text' }).trim()
    .regex(/^\+?[0-9][0-9 -]{4,19}$/, { error: 'contact must be a phone number (digits, spaces, dashes; 5–20 characters)' })
    .optional(),
  channel: z.enum(requestChannels, { error: `channel must be one of: ${requestChannels.join(', ')}` }).optional(),
  /** the building found by search on the form (issue 10): staff see it beside the point */
  buildingId: z.string({ error: 'buildingId must be text' }).trim().regex(/^[A-Za-z0-9_.:-]{1,80}$/, { error: 'buildingId must be a building id' }).optional(),
});
export type NewRequest = z.infer<typeof NewRequest>;

/** POST /api/staff/requests (issue 10): a request staff record for a resident, by hotline, chat group or field visit. */
export const StaffFiling = NewRequest.omit({ channel: true }).extend({
  channel: z.enum(staffChannels, { error: `channel must be one of: ${staffChannels.join(', ')}` }),
  /** the hotline's own case number (12345 transfers) */
  channelRef: optionalText(40, 'channelRef'),
  /** the resident's name, if they gave it: private like the contact */
  reporterName: optionalText(40, 'reporterName'),
});
export type StaffFiling = z.infer<typeof StaffFiling>;

export const SimilarQuery = PointQuery.extend({
  category: z.enum(requestCategories, { error: `category must be one of: ${requestCategories.join(', ')}` }),
});

/** The reporter's rating of a resolved request. */
export const RatingInput = z.object({
  rating: z.number({ error: `rating must be a whole number from ${ratingRange.min} to ${ratingRange.max}` })
    .int({ error: `rating must be a whole number from ${ratingRange.min} to ${ratingRange.max}` })
    .min(ratingRange.min).max(ratingRange.max),
  note: optionalText(500, 'note'),
});
export const TokenQuery = z.object({ token: z.string().max(200).optional() });

export const SignIn = z.object({
  username: z.string({ error: 'username must be text (at most 100 characters)' }).trim().min(1, { error: 'username is required' })
    .max(100, { error: 'username must be text (at most 100 characters)' }),
  password: z.string({ error: 'password must be text (at most 1000 characters)' }).min(1, { error: 'password is required' })
    .max(1000, { error: 'password must be text (at most 1000 characters)' }),
});

/** POST /api/setup: the first street administrator, chosen by whoever holds the setup link. */
export const FirstAdminInput = z.object({
  token: z.string({ error: 'token is required: open the setup link printed in the server log' }).min(1).max(200),
  username: z.string({ error: 'username is required' }).trim().toLowerCase()
    .regex(usernamePattern, { error: 'username must be 2–40 letters, digits, dots, dashes or underscores' }),
  name: z.string({ error: 'name is required' }).trim().min(1, { error: 'name is required' }).max(40, { error: 'name must be at most 40 characters' }),
  password: z.string({ error: 'password is required' }).min(minPasswordLength, { error: `password must be at least ${minPasswordLength} characters` })
    .max(1000, { error: 'password must be at most 1000 characters' }),
});

export const QueueQuery = z.object({
  scope: z.enum(['mine', 'area'], { error: 'scope must be mine or area' }).default('area'),
  status: z.enum(['open', 'all'], { error: 'status must be open or all' }).default('open'),
});
export type QueueScope = z.infer<typeof QueueQuery>['scope'];

/** A step of the loop chosen by staff, with the words it needs (vocabulary: reasonRequired…). */
export const StatusChange = z.object({
  to: z.enum(requestStatuses, { error: `to must be one of: ${requestStatuses.join(', ')}` }),
  note: optionalText(2000, 'note'),
  outcome: optionalText(2000, 'outcome'),
  duplicateOf: optionalText(40, 'duplicateOf'),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const DispatchInput = z.object({ assigneeId: requiredText(40, 'assigneeId'), note: optionalText(2000, 'note') });
export const NoteInput = z.object({ note: requiredText(2000, 'note') });

// ---------------------------------------------------------------- outputs

/** A request as anyone may see it: the map, OGC, the resident's ticket. */
export const PublicRequest = z.object({
  ticket: z.string(),
  category: RequestCategory,
  /** what staff published of it (api/loop/privacy.ts); the resident's own words never, unless published */
  description: z.string().nullable(),
  published: z.boolean(),
  status: RequestStatus,
  channel: RequestChannel,
  createdAt: iso,
  updatedAt: iso,
  districtId: id.nullable(),
  streetId: id.nullable(),
  communityId: id.nullable(),
  gridId: id.nullable(),
  microgridId: id.nullable(),
  community: Ref,
  grid: Ref,
  microgrid: Ref,
  claimDeadline: iso.nullable(),
  resolveDeadline: iso.nullable(),
  /** minutes left on the step it waits on (negative: overdue); null once closed */
  timeLeftMinutes: z.number().int().nullable(),
  overdue: z.boolean(),
  outcome: z.string().nullable(),
  rating: z.number().int().nullable(),
  meToo: z.number().int(),
});
export type PublicRequest = z.infer<typeof PublicRequest>;

/** A building as staff find the place by it: its number, name, compound and (when found by nearness) how far. */
export const BuildingRef = z.object({
  id, number: z.string().nullable(), name: z.string().nullable(), compound: z.string().nullable(), distanceMeters: z.number().nullable(),
});
export type BuildingRef = z.infer<typeof BuildingRef>;

/** What staff in scope see: the public fields, the reporter's contact, who holds it, the exact place. */
export const StaffRequest = PublicRequest.extend({
  /** the resident's own words */
  description: z.string(),
  publishedDescription: z.string().nullable(),
  contact: z.string().nullable(),
  assignee: Ref,
  claimedAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  escalationLevel: z.number().int(),
  ratingNote: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  // issue 10: the building picked by search when filing; staff intake's case number and the reporter's name (private)
  building: BuildingRef.nullable(),
  channelRef: z.string().nullable(),
  reporterName: z.string().nullable(),
});
export type StaffRequest = z.infer<typeof StaffRequest>;

/**
 * What the server knows of an event beyond its action and states, as data each page words in its
 * own language (issue 10): an escalation's levels and why, whom a dispatch went to, the other
 * ticket of a duplicate, a rating's stars. `note` holds only what a person wrote.
 */
export const EventDetail = z.object({
  fromLevel: z.number().int().optional(),
  toLevel: z.number().int().optional(),
  reason: z.enum(escalationReasons).optional(),
  assigneeName: z.string().optional(),
  ticket: z.string().optional(),
  rating: z.number().int().optional(),
  /** a boundary import moved the request: the smallest area it was in and is in now, by name */
  fromArea: z.string().optional(),
  toArea: z.string().optional(),
}).nullable();
export type EventDetail = z.infer<typeof EventDetail>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: iso,
  actor: z.string(),
  actorName: z.string().nullable(),
  action: z.enum(auditActions),
  from: RequestStatus.nullable(),
  to: RequestStatus.nullable(),
  note: z.string().nullable(),
  detail: EventDetail,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const Photo = z.object({ id: z.number().int(), kind: z.enum(['report', 'progress', 'outcome']), url: z.string() });
export type Photo = z.infer<typeof Photo>;

export const StaffRequestDetail = StaffRequest.extend({
  events: z.array(AuditEvent), photos: z.array(Photo),
  /** issue 10: the building nearest the point (within 50 m), and links that open the phone's map apps on it */
  nearBuilding: BuildingRef.nullable(),
  navigation: z.object({ amap: z.string(), baidu: z.string() }),
});
export type StaffRequestDetail = z.infer<typeof StaffRequestDetail>;

export const Assignee = z.object({
  id, name: z.string(), role: z.enum(staffRoles), areaId: id, openRequests: z.number().int(),
});
export type Assignee = z.infer<typeof Assignee>;

/** One step of the resident's timeline: no staff names, only the notes meant for the resident. */
export const TicketStep = z.object({
  at: iso, step: z.enum(timelineSteps), status: RequestStatus, note: z.string().nullable(),
  /** an escalation: the level it went to (0 grid worker … 3 street) */
  toLevel: z.number().int().nullable(),
});
export type TicketStep = z.infer<typeof TicketStep>;

/** GET /api/requests/{ticket}: the resident's view; photos only with the report token. */
export const Ticket = PublicRequest.pick({
  ticket: true, category: true, description: true, status: true, createdAt: true, community: true, grid: true,
  outcome: true, rating: true, meToo: true, timeLeftMinutes: true, overdue: true,
}).extend({
  steps: z.array(TicketStep),
  /** opened with the report token: the reporter's own view (their words, photos and exact place) */
  own: z.boolean(),
  photos: z.array(Photo).optional(),
  lon: z.number().optional(),
  lat: z.number().optional(),
  /** the reporter's own view: is their phone number still kept (they may have it erased: DELETE …/contact) */
  hasContact: z.boolean().optional(),
  /** issue 10: who holds it now (0 grid worker … 3 street): said to a resident whose bad rating reopened it */
  escalationLevel: z.number().int(),
  /** the reporter's own view only: the code that opens it on another phone */
  lookupCode: z.string().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

/** POST /api/requests/{ticket}/lookup (issue 10): the code typed on another phone. */
export const LookupInput = z.object({ code: requiredText(40, 'code') });

/** An open request like the one being filed, nearby: public fields only (no words unless published). */
export const SimilarRequest = z.object({
  ticket: z.string(), description: z.string().nullable(), status: RequestStatus, createdAt: iso, meToo: z.number().int(), distanceMeters: z.number(),
});
export type SimilarRequest = z.infer<typeof SimilarRequest>;

/** 201 of POST /api/requests: the ticket, where it went, its deadlines and the reporter's secret. */
export const Filed = z.object({
  id: z.string(),
  ticket: z.string(),
  status: RequestStatus,
  createdAt: iso,
  street: Ref,
  community: Ref,
  grid: Ref,
  microgrid: Ref,
  claimDeadline: iso,
  resolveDeadline: iso,
  reportToken: z.string(),
  /** issue 10: typed with the ticket number on another phone to reach the reporter's view */
  lookupCode: z.string(),
  similar: z.array(SimilarRequest),
});
export type Filed = z.infer<typeof Filed>;

/** One change of a request, as the live stream and the wall see it (public fields). */
export const PublicLiveEvent = z.object({
  id: z.number().int(),
  ticket: z.string(),
  action: z.enum(auditActions),
  status: RequestStatus,
  fromStatus: RequestStatus.nullable(),
  category: RequestCategory,
  /** published wording only (see PublicRequest); the location on the public 0.001° grid */
  description: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  districtId: id.nullable(),
  streetId: id.nullable(),
  communityId: id.nullable(),
  gridId: id.nullable(),
  microgridId: id.nullable(),
  communityName: z.string().nullable(),
  gridName: z.string().nullable(),
  at: iso,
  overdue: z.boolean(),
  timeLeftMinutes: z.number().int().nullable(),
  /** an escalation: the level it went to (0 grid worker … 3 street), worded by the page */
  toLevel: z.number().int().nullable(),
});
export type PublicLiveEvent = z.infer<typeof PublicLiveEvent>;

/** The same change as staff in scope see it: who holds it and the reporter's contact. */
export const StaffLiveEvent = PublicLiveEvent.extend({
  description: z.string(), contact: z.string().nullable(), assignee: Ref, escalationLevel: z.number().int(),
});
export type StaffLiveEvent = z.infer<typeof StaffLiveEvent>;
export type LiveEvent = PublicLiveEvent | StaffLiveEvent;

/** GET /api/stats: the wall's figures (api/live/stats.ts says how each is counted). */
export const Stats = z.object({
  areaId: id.nullable(),
  areaName: z.string().nullable(),
  parent: z.object({ id, name: z.string() }).nullable(),
  generatedAt: iso,
  today: z.object({
    new: z.number().int(), claimed: z.number().int(), resolved: z.number().int(), overdue: z.number().int(),
    open: z.number().int(), satisfaction: z.number().nullable(), ratings: z.number().int(),
  }),
  trend: z.array(z.object({ date: z.string(), new: z.number().int(), resolved: z.number().int() })),
  unitLevel: z.enum(unitLevels),
  units: z.array(z.object({
    id, name: z.string(), parentId: id.nullable(), open: z.number().int(), overdue: z.number().int(), load: z.number(),
  })),
  latest: z.array(PublicLiveEvent),
});
export type Stats = z.infer<typeof Stats>;

/** Who is signed in. */
export const StaffUser = z.object({
  username: z.string(), staffId: id, name: z.string(), role: z.enum(staffRoles),
  /** none for the installation's first administrator (made by the setup link before any boundary) */
  areaId: id.nullable(), areaName: z.string().nullable(), areaLevel: z.enum(areaLevels).nullable(),
});
export type StaffUser = z.infer<typeof StaffUser>;

/** Every 4xx/5xx of the API (Open311 keeps its spec's own format). */
export const ErrorBody = z.looseObject({ error: z.string(), code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]), field: z.string().optional() });
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------- places (OGC collections' properties)

export const AreaProperties = z.object({
  id, level: z.enum(areaLevels), kind: z.enum(areaKinds), name: z.string(), parentId: id.nullable(),
});
export type AreaProperties = z.infer<typeof AreaProperties>;

export const CompoundProperties = z.object({ id, name: z.string(), address: z.string().nullable(), microgridId: id.nullable() });
export type CompoundProperties = z.infer<typeof CompoundProperties>;

export const BuildingProperties = z.object({
  id, compoundId: id.nullable(), number: z.string().nullable(), name: z.string().nullable(),
  floors: z.number().int().nullable(), units: z.number().int().nullable(), use: z.string().nullable(),
});
export type BuildingProperties = z.infer<typeof BuildingProperties>;

/** A service point's public fields; its phone is public by nature (a clinic's, a canteen's). */
export const PoiProperties = z.object({
  id, category: z.enum(poiCategories), name: z.string(), address: z.string().nullable(), phone: z.string().nullable(),
  openingHours: z.string().nullable(), activities: z.array(z.object({ name: z.string(), schedule: z.string() })),
  /** open now, and the next change, read from `openingHours` in Shanghai time (api/geo/opening.ts); null: unknown */
  openNow: z.boolean().nullable().optional(), opensAt: iso.optional(), closesAt: iso.optional(),
});
export type PoiProperties = z.infer<typeof PoiProperties>;

/** The OGC `requests` collection's properties: the public request, with the ticket as `id` too. */
export const RequestProperties = PublicRequest.extend({ id: z.string() });
export type RequestProperties = z.infer<typeof RequestProperties>;

// ---------------------------------------------------------------- notifications (issue 9 §4, docs/notifications.md)

/**
 * One thing a staff member is told. No description, contact or point: the list and the phone's
 * lock-screen notification name the ticket, its category and grid; the request's page has the rest.
 */
export const StaffNotification = z.object({
  id: z.number().int(), kind: z.enum(notificationKinds), ticket: z.string(), category: RequestCategory, status: RequestStatus,
  gridName: z.string().nullable(), level: z.number().int().nullable(), dueAt: iso.nullable(), createdAt: iso, readAt: iso.nullable(),
});
export type StaffNotification = z.infer<typeof StaffNotification>;
export const NotificationList = z.object({ unread: z.number().int(), notifications: z.array(StaffNotification) });
export type NotificationList = z.infer<typeof NotificationList>;
/** Mark these read, or all of them (`all: true`). */
export const MarkRead = z.strictObject({
  ids: z.array(z.number().int().positive()).max(500).optional(), all: z.boolean().optional(),
});

// ---------------------------------------------------------------- requests by viewport (issue 12 §2, docs/api.md "The grid map")

/** One request marker in a view: the public request with its point on the public 0.001° grid. */
export const ViewMarker = RequestProperties.extend({ lon: z.number(), lat: z.number() });
export type ViewMarker = z.infer<typeof ViewMarker>;

/** One area's counts in a view (low zoom): every request of the area, not only those inside the box. */
export const ViewArea = z.object({
  id, level: z.enum(areaLevels), name: z.string(), lon: z.number(), lat: z.number(),
  open: z.number().int(), overdue: z.number().int(), closed: z.number().int(),
});
export type ViewArea = z.infer<typeof ViewArea>;

/**
 * GET /api/map/requests: what a map shows of the requests in its view. `markers` when they fit
 * (at most `limit`, newest first; `shown < total` is said on screen), else `areas` with their counts.
 * `total` counts every request the view matches, whatever is drawn.
 */
export const RequestView = z.object({
  mode: z.enum(['markers', 'areas']),
  level: z.enum(areaLevels).nullable(),
  total: z.object({ open: z.number().int(), overdue: z.number().int(), closed: z.number().int() }),
  limit: z.number().int(),
  shown: z.number().int(),
  markers: z.array(ViewMarker),
  areas: z.array(ViewArea),
  /** the asked area's extent [w, s, e, n] (a wall framed on its area), else null */
  bounds: z.array(z.number()).length(4).nullable(),
  generatedAt: iso,
});
export type RequestView = z.infer<typeof RequestView>;
