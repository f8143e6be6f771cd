// The domain's closed vocabularies (GLOSSARY.md), one place for api and web alike: statuses and
// the state table, area levels, staff roles and who may dispatch, request categories with their
// deadlines and Open311 groups, channels, service-point categories. Every other file imports
// these; none writes a list of them again. Names as people read them: ./names.ts.

// ---------------------------------------------------------------- the request's six steps

/** Every state a request can be in, in the order of the loop (周二说事日's six steps and two exits). */
export const requestStatuses = [
  'collected', 'claimed', 'deliberating', 'resolving', 'resolved', 'revisited', 'archived', 'rejected', 'duplicate',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** Still being worked on: the first four steps. Open311's `open`, the wall's load, the queue's default. */
export const openStatuses = ['collected', 'claimed', 'deliberating', 'resolving'] as const satisfies readonly RequestStatus[];
/** Open and held by an assignee (counted as their load when dispatching). */
export const heldStatuses = ['claimed', 'deliberating', 'resolving'] as const satisfies readonly RequestStatus[];
/** Resolved or beyond: counted as done on the wall. */
export const resolvedStatuses = ['resolved', 'revisited', 'archived'] as const satisfies readonly RequestStatus[];
/** Closed before being worked: never taken up. */
export const refusedStatuses = ['rejected', 'duplicate'] as const satisfies readonly RequestStatus[];

/**
 * The closed loop as data: from each state, where it may go.
 * collect → claim → (deliberate →) resolve → feedback (resolved) → revisit → archive.
 */
export const transitions: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  collected: ['claimed', 'rejected', 'duplicate'],
  claimed: ['deliberating', 'resolving', 'rejected', 'duplicate'],
  deliberating: ['resolving', 'rejected'],
  resolving: ['resolved', 'deliberating'],
  resolved: ['revisited', 'resolving'],
  revisited: ['archived'],
  archived: [],
  rejected: [],
  duplicate: [],
};

export const isRequestStatus = (value: unknown): value is RequestStatus =>
  typeof value === 'string' && (requestStatuses as readonly string[]).includes(value);
export const isOpenStatus = (status: string): boolean => (openStatuses as readonly string[]).includes(status);
export const mayMove = (from: RequestStatus, to: RequestStatus): boolean => transitions[from].includes(to);

/** Which deadline a state works against: to be claimed, to be resolved, or none once closed. */
export const deadlineOf = (status: RequestStatus): 'claim' | 'resolve' | null =>
  status === 'collected' ? 'claim' : (heldStatuses as readonly string[]).includes(status) ? 'resolve' : null;

/** Moves that need words: a rejection before resolving gives its reason, resolving gives the outcome. */
export const reasonRequired = (from: RequestStatus, to: RequestStatus): boolean =>
  to === 'rejected' && (['collected', 'claimed', 'deliberating'] as RequestStatus[]).includes(from);
export const outcomeRequired = (from: RequestStatus, to: RequestStatus): boolean => to === 'resolved' && from === 'resolving';
/** A duplicate taken up before it was worked names the ticket it repeats. */
export const originalRequired = (from: RequestStatus, to: RequestStatus): boolean =>
  to === 'duplicate' && (['collected', 'claimed'] as RequestStatus[]).includes(from);

/**
 * The six steps of the loop (网格问事 → 商议说事 → 具体解事 → 反馈息事 → 回访宁事 → 归档完事), each by the
 * state that marks it; `claimed` is still the first step, in hand.
 */
export const loopSteps = ['collected', 'deliberating', 'resolving', 'resolved', 'revisited', 'archived'] as const satisfies readonly RequestStatus[];
export type LoopStep = (typeof loopSteps)[number];
/** Which of the six steps a state belongs to (0–5), or -1 for a request closed without being worked. */
export const loopStepOf = (status: RequestStatus): number => (status === 'claimed' ? 0 : (loopSteps as readonly string[]).indexOf(status));

/** The public name of each state as a step of the resident's timeline. */
export const stepOf: Readonly<Record<RequestStatus, string>> = {
  collected: 'collect', claimed: 'claim', deliberating: 'deliberate', resolving: 'resolve',
  resolved: 'feedback', revisited: 'revisit', archived: 'archive', rejected: 'reject', duplicate: 'duplicate',
};
/** Every step a resident's timeline can show: the states' steps and the events between them. */
export const timelineSteps = [...new Set(Object.values(stepOf)), 'escalate', 'rate', 'reopen'] as const;

/** What an audit event records (request_events.action). */
export const auditActions = [
  'filed', 'claimed', 'dispatched', 'status', 'escalated', 'rated', 'reopened', 'me_too', 'note', 'photo', 'reassigned', 'published', 'unpublished',
  'contact_erased', // issue 9 §1: the reporter's phone erased, at their asking or after the retention period
] as const;
export type AuditAction = (typeof auditActions)[number];
/** The audit events a resident's timeline shows (never who did them, nor staff notes). */
export const publicActions = ['filed', 'claimed', 'dispatched', 'status', 'escalated', 'rated', 'reopened'] as const satisfies readonly AuditAction[];

/** States whose note the resident reads: the outcome, the reason for a rejection, the ticket it duplicates. */
export const noteForResident = ['resolved', ...refusedStatuses] as const satisfies readonly RequestStatus[];

/** Ratings the resident gives; at or below `reopenRating` the request reopens one level up. */
export const ratingRange = { min: 1, max: 5, reopenAtMost: 2 } as const;

// ---------------------------------------------------------------- escalation

/** Who holds the request as it escalates (上报 … 兜底): 0 grid worker → 1 mediator → 2 community → 3 street. */
export const escalationLevels = ['grid_worker', 'mediator', 'community', 'street'] as const;
export type EscalationLevel = (typeof escalationLevels)[number];
export const topEscalation = escalationLevels.length - 1;
/** Why the escalation job moved a request up by itself (a hand escalation has no reason code). */
export const escalationReasons = ['claim_overdue', 'resolve_overdue'] as const;
export type EscalationReason = (typeof escalationReasons)[number];

// ---------------------------------------------------------------- areas

/**
 * The nested levels of areas, top down; each level's areas tile their parent. The district (区/县)
 * is optional: a street may stand alone (an installation of one street office) or belong to one.
 */
export const areaLevels = ['district', 'street', 'community', 'grid', 'microgrid'] as const;
export type AreaLevel = (typeof areaLevels)[number];
export const parentLevel = (level: AreaLevel): AreaLevel | null => areaLevels[areaLevels.indexOf(level) - 1] ?? null;
/**
 * The levels a point is assigned to by geometry (api/db/migrations assign_point, api/geo/area-index.ts):
 * the street that covers it, then down. Its district is not tested again: it is the street's parent,
 * so a point on a district border goes to the district of the street it went to, by the same rule.
 */
export const assignedLevels = ['street', 'community', 'grid', 'microgrid'] as const satisfies readonly AreaLevel[];
/** Levels whose areas may have no parent: the district, and a street that belongs to none. */
export const topLevels = ['district', 'street'] as const satisfies readonly AreaLevel[];
/**
 * What a wall screen shades, lists and tours (api/live/stats.ts): a district's streets (its
 * thousands of grids are too small to read at that scale; staff drill down street by street),
 * else the grids.
 */
export const unitLevels = ['street', 'grid'] as const satisfies readonly AreaLevel[];
export type UnitLevel = (typeof unitLevels)[number];
export const isAreaLevel = (value: unknown): value is AreaLevel =>
  typeof value === 'string' && (areaLevels as readonly string[]).includes(value);

/** What kind of grid: a regular one, or an exclusive grid (专属网格) for one institution. */
export const areaKinds = ['regular', 'school', 'hospital', 'market', 'enterprise'] as const;
export type AreaKind = (typeof areaKinds)[number];

// ---------------------------------------------------------------- people

export const staffRoles = ['street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'party_household', 'mediator'] as const;
export type StaffRole = (typeof staffRoles)[number];
/** Roles that work requests; party households relay needs but hold none. */
export const workingRoles = ['street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'mediator'] as const satisfies readonly StaffRole[];
/** Roles that may dispatch and reassign (派单 / 改派). */
export const dispatcherRoles = ['grid_leader', 'secretary', 'street_admin'] as const satisfies readonly StaffRole[];
/** Roles whose queue covers more than one grid (a community, a street, or every escalated request). */
export const wideScopeRoles = ['street_admin', 'secretary', 'mediator'] as const satisfies readonly StaffRole[];
/** A grid's public team (whose public phones residents see), in the order it is listed: the leader first. */
export const teamRoles = ['grid_leader', 'grid_worker', 'microgrid_leader', 'mediator', 'secretary'] as const satisfies readonly StaffRole[];
/** Whom a request is offered to when dispatching: who walks the grid first, who backs them up after. */
export const dispatchOrder = ['grid_worker', 'grid_leader', 'microgrid_leader', 'mediator', 'secretary', 'street_admin'] as const satisfies readonly StaffRole[];

/** Roles that open the administration console (issue 8): the street administrator, community secretaries. */
export const adminRoles = ['street_admin', 'secretary'] as const satisfies readonly StaffRole[];
/** The roles a secretary may give: the people of their community's grids, never their own rank or above. */
export const secretaryAssignableRoles = ['grid_leader', 'grid_worker', 'microgrid_leader', 'party_household', 'mediator'] as const satisfies readonly StaffRole[];

export const isWorkingRole = (role: string): boolean => (workingRoles as readonly string[]).includes(role);
export const mayDispatch = (role: string | null | undefined): boolean => !!role && (dispatcherRoles as readonly string[]).includes(role);
export const hasWideScope = (role: string | null | undefined): boolean => !!role && (wideScopeRoles as readonly string[]).includes(role);

// ---------------------------------------------------------------- requests

/**
 * Request categories with how soon a request must be claimed and resolved (counted from filing):
 * fire hazards and people in need first. Past a deadline the request is overdue and escalates
 * (api/loop/escalation.ts); a poor rating restarts the resolve clock. `open311Group` is the
 * GeoReport v2 `group` a 311 client files it under (names: ./names.ts).
 */
export const requestCategoryRules = {
  flying_wire_charging: { claimMinutes: 30, resolveMinutes: 24 * 60, open311Group: 'fire_safety' },
  elderly_help: { claimMinutes: 60, resolveMinutes: 24 * 60, open311Group: 'services' },
  heating: { claimMinutes: 60, resolveMinutes: 24 * 60, open311Group: 'repairs' },
  blocked_drain: { claimMinutes: 60, resolveMinutes: 24 * 60, open311Group: 'repairs' },
  clutter: { claimMinutes: 2 * 60, resolveMinutes: 48 * 60, open311Group: 'fire_safety' },
  leaking_roof: { claimMinutes: 2 * 60, resolveMinutes: 72 * 60, open311Group: 'repairs' },
  noise: { claimMinutes: 2 * 60, resolveMinutes: 48 * 60, open311Group: 'order' },
  sanitation: { claimMinutes: 4 * 60, resolveMinutes: 48 * 60, open311Group: 'sanitation' },
  street_light: { claimMinutes: 4 * 60, resolveMinutes: 72 * 60, open311Group: 'repairs' },
  parking: { claimMinutes: 4 * 60, resolveMinutes: 72 * 60, open311Group: 'order' },
  neighbour_dispute: { claimMinutes: 4 * 60, resolveMinutes: 7 * 24 * 60, open311Group: 'order' },
  facility_repair: { claimMinutes: 4 * 60, resolveMinutes: 5 * 24 * 60, open311Group: 'repairs' },
  other: { claimMinutes: 8 * 60, resolveMinutes: 5 * 24 * 60, open311Group: 'other' },
} as const;

/** The categories, most often filed first: the order of the report form's big buttons and of Open311's list. */
export const requestCategories = [
  'street_light', 'blocked_drain', 'sanitation', 'clutter', 'flying_wire_charging', 'facility_repair',
  'leaking_roof', 'parking', 'noise', 'heating', 'elderly_help', 'neighbour_dispute', 'other',
] as const satisfies readonly (keyof typeof requestCategoryRules)[];
export type RequestCategory = (typeof requestCategories)[number];
export type Open311Group = (typeof requestCategoryRules)[RequestCategory]['open311Group'];

export const isRequestCategory = (value: unknown): value is RequestCategory =>
  typeof value === 'string' && (requestCategories as readonly string[]).includes(value);
/** The deadlines of a category, or those of `other` for a code we do not know. */
export const deadlinesOf = (category: string): { claimMinutes: number; resolveMinutes: number } =>
  requestCategoryRules[isRequestCategory(category) ? category : 'other'];

/** Categories a rider reports from a gate in two taps (fire hazards in stairwells and lanes). */
export const riderCategories = ['flying_wire_charging', 'clutter'] as const satisfies readonly RequestCategory[];

/** How a request reached us: a place's QR code, the resident's own page (web), a building's chat group, the phone, a field visit, a rider, another system. */
export const requestChannels = ['qr', 'web', 'group', 'phone', 'visit', 'rider', 'open311', 'hotline'] as const;
export type RequestChannel = (typeof requestChannels)[number];
/** Channels staff record a request by for a resident (issue 10): a 12345 transfer, a call, a chat group, a field visit. */
export const staffChannels = ['hotline', 'phone', 'group', 'visit'] as const satisfies readonly RequestChannel[];

// ---------------------------------------------------------------- places

/** Categories of service points (POIs). */
export const poiCategories = [
  'party_service_centre', 'clinic', 'pharmacy', 'elderly_canteen', 'elderly_care', 'childrens_home',
  'rider_station', 'grid_home', 'deliberation_corner', 'shared_toolbox', 'shop', 'supermarket', 'school',
  'police', 'ebike_charging', 'ebike_parking',
] as const;
export type PoiCategory = (typeof poiCategories)[number];
export const isPoiCategory = (value: unknown): value is PoiCategory =>
  typeof value === 'string' && (poiCategories as readonly string[]).includes(value);

/** The everyday services a home should reach within a 15-minute walk (15分钟便民圈). */
export const circleCategories = [
  'party_service_centre', 'clinic', 'pharmacy', 'elderly_canteen', 'elderly_care', 'childrens_home',
  'shop', 'supermarket', 'school', 'grid_home', 'deliberation_corner', 'shared_toolbox',
] as const satisfies readonly PoiCategory[];

// ---------------------------------------------------------------- notifications (issue 9 §4)

/**
 * What a staff member is told (docs/notifications.md): a new request in their grid, a request
 * dispatched to them, one escalated to their level, a bad rating on one they handled, a deadline
 * about to pass on one they hold (or, unclaimed, in their grid).
 */
export const notificationKinds = ['new_request', 'dispatched', 'escalated', 'bad_rating', 'deadline_soon'] as const;
export type NotificationKind = (typeof notificationKinds)[number];
/** The areas whose people are told of each new request in them (a grid's team, a micro-grid's leader); migration 0008 says the same. */
export const newRequestLevels = areaLevels.slice(2) satisfies readonly AreaLevel[]; // grid, microgrid: the two finest
/** Minutes before a claim or resolve deadline at which the people working against it are warned. */
export const deadlineWarningMinutes = 30;
/** Ways a message leaves the system: e-mail (SMTP) and SMS through the webhook sender. */
export const outboxChannels = ['email', 'sms'] as const;
export type OutboxChannel = (typeof outboxChannels)[number];

// ---------------------------------------------------------------- issue 10: a bad rating reopens

/**
 * A request the resident rated poorly, and so reopened, while it is handled again (居民不满意):
 * its outcome on record is the one superseded. A new resolution clears the rating (api/loop/moves.ts).
 */
export const reopenedByRating = (r: { status: RequestStatus; rating: number | null }): boolean =>
  r.rating != null && r.rating <= ratingRange.reopenAtMost && isOpenStatus(r.status);

// ---------------------------------------------------------------- 三项清单: needs ↔ resources ↔ projects, 微心愿 (issue 11 §1)

/** What a need is about (群众需求清单): the seeds' examples first — meals for the elderly, after-school care, pipe renewal. */
export const needKinds = [
  'elderly_meals', 'elderly_care', 'after_school', 'child_wellbeing', 'health', 'pipe_renewal', 'home_repair',
  'accessibility', 'environment', 'parking', 'culture', 'legal_aid', 'employment', 'other',
] as const;
export type NeedKind = (typeof needKinds)[number];

/** Where a need was heard: a request, a field visit (网格员走访), the deliberation day (网格议事日), a survey (问卷星), a building's chat group. */
export const needSources = ['request', 'visit', 'deliberation', 'survey', 'group'] as const;
export type NeedSource = (typeof needSources)[number];

/** A need is open until a project (or anything else) meets it, or it is dropped with a reason. */
export const needStatuses = ['open', 'met', 'dropped'] as const;
export type NeedStatus = (typeof needStatuses)[number];

/** The need a request of each category adds when staff take it into the list ("add as need"). */
export const needKindOfCategory: Readonly<Record<RequestCategory, NeedKind>> = {
  street_light: 'environment', blocked_drain: 'pipe_renewal', sanitation: 'environment', clutter: 'environment',
  flying_wire_charging: 'parking', facility_repair: 'home_repair', leaking_roof: 'home_repair', parking: 'parking',
  noise: 'environment', heating: 'home_repair', elderly_help: 'elderly_care', neighbour_dispute: 'legal_aid', other: 'other',
};

/** Who the community can call on (资源共享清单): units (the seed's 28), organisations, the "1+N" venues, volunteer teams, 社区合伙人, merchants. */
export const resourceKinds = ['unit', 'organisation', 'venue', 'volunteer_team', 'partner', 'merchant'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

/** A project's life (项目服务清单): planned → active → completed; paused and resumed; cancelled before completion. */
export const projectStatuses = ['planned', 'active', 'paused', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];
export const projectTransitions: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  planned: ['active', 'cancelled'],
  active: ['paused', 'completed', 'cancelled'],
  paused: ['active', 'cancelled'],
  completed: ['active'], // a standing service (常态化服务项目) runs again
  cancelled: [],
};

/**
 * 微心愿认领: a wish posted by or for a household, claimed by a volunteer or a unit, fulfilled,
 * then confirmed with the household. A claim may be released (back to posted); a wish may be
 * withdrawn until it is fulfilled.
 */
export const wishStatuses = ['posted', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'] as const;
export type WishStatus = (typeof wishStatuses)[number];
export const wishTransitions: Readonly<Record<WishStatus, readonly WishStatus[]>> = {
  posted: ['claimed', 'withdrawn'],
  claimed: ['fulfilled', 'posted', 'withdrawn'],
  fulfilled: ['confirmed', 'claimed'], // not as wished: back to the one who claimed it
  confirmed: [],
  withdrawn: [],
};
/** Who claims a wish: a volunteer by name, or a unit of the resources list. */
export const claimantKinds = ['volunteer', 'unit'] as const;
export type ClaimantKind = (typeof claimantKinds)[number];
/** Wishes the public board may show once staff published a summary: still waiting, claimed (so nobody claims twice), fulfilled (已实现). */
export const boardWishStatuses = ['posted', 'claimed', 'fulfilled', 'confirmed'] as const satisfies readonly WishStatus[];
/**
 * What the public board says of a wish: waiting (可认领), a volunteer's claim waiting for staff to
 * confirm it (认领待确认), claimed (已认领), fulfilled (已实现 — fulfilled or confirmed alike).
 */
export const wishBoardStates = ['posted', 'offered', 'claimed', 'fulfilled'] as const;
export type WishBoardState = (typeof wishBoardStates)[number];
/** Roles that keep the lists: street, community and grid staff in their own area. Mediators and party households do not. */
export const listRoles = ['street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader'] as const satisfies readonly StaffRole[];
/** Roles that write the resources and projects lists, which belong to a community (or the street). */
export const listManagerRoles = ['street_admin', 'secretary'] as const satisfies readonly StaffRole[];
