import { z } from 'zod';
import { careColours } from './care.ts';
import { requestCategories } from './vocabulary.ts';

// Field visits and patrol (走访, 巡查, 随手拍; issue 11 §3, docs/visits.md): what a grid worker
// writes on the phone and what the coverage map answers. Staff in scope only: findings are
// residents' circumstances, patrol tracks are exact places. A visit to a care household is the
// same row the care ledger counts its visits owed by (care_visits): one source of truth.

/** Days and months are Beijing time: a 零上报 at 00:30 belongs to that morning's day, not yesterday's UTC one. */
export const visitsTimeZone = 'Asia/Shanghai';

/** The most photos one visit keeps (each re-encoded like a request's). */
export const maxVisitPhotos = 4;
/** The most positions one upload of a patrol's track may carry (a phone sends every few seconds while the page is open). */
export const maxTrackBatch = 500;

const text = (max: number) => z.string().trim().max(max);
const id = z.string().trim().min(1).max(80);

/** POST /api/visits: a visit to a care household (its building follows) or to a building. */
export const VisitInput = z.strictObject({
  householdId: z.number().int().positive().max(2 ** 31 - 1).optional(),
  buildingId: id.regex(/^[A-Za-z0-9_.:-]{1,80}$/, { error: 'buildingId must be a building id' }).optional(),
  finding: text(2000).min(1),
  colour: z.enum(careColours).optional(), // a care household's level after this visit
  patrolId: z.number().int().positive().max(2 ** 31 - 1).optional(), // logged on this walk
  at: z.iso.datetime({ offset: true }).optional(), // written down afterwards; default now
}).refine((v) => (v.householdId === undefined) !== (v.buildingId === undefined), {
  error: 'name the place visited: householdId (a care household) or buildingId, one of them', path: ['buildingId'],
});
export type VisitInput = z.infer<typeof VisitInput>;

/** POST /api/visits/:id/request: the finding as a request (channel visit, at the visit's building). */
export const VisitRequestInput = z.strictObject({
  category: z.enum(requestCategories, { error: `category must be one of: ${requestCategories.join(', ')}` }),
  /** the words the request carries; default the finding as written */
  description: text(2000).min(2).optional(),
});
export type VisitRequestInput = z.infer<typeof VisitRequestInput>;

/** One position of a patrol: WGS84 as the browser's Geolocation API reports it. */
const TrackPoint = z.strictObject({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: z.iso.datetime({ offset: true }),
  accuracy: z.number().min(0).max(100_000).optional(), // metres
});
/** POST /api/visits/patrols/:id/track: positions since the last upload. */
export const TrackInput = z.strictObject({ points: z.array(TrackPoint).min(1).max(maxTrackBatch) });
export type TrackInput = z.infer<typeof TrackInput>;

/** POST /api/visits/zero: 零上报, with an optional word. */
export const ZeroInput = z.strictObject({ note: text(200).optional() });

/** ?month=2026-12 (Beijing time); default this month. ?grid narrows a community's or street's view to one grid. */
export const MonthQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' }).optional(),
  grid: id.optional(),
});

// ---------------------------------------------------------------- answers

/** A visit in a list: where and when, by whom, and what came of it — not the finding (that is on its card). */
export const VisitRow = z.object({
  id: z.number().int(), at: z.string(),
  workerId: z.string().nullable(), workerName: z.string().nullable(),
  householdId: z.number().int().nullable(),
  buildingId: z.string().nullable(), buildingName: z.string().nullable(),
  gridId: z.string().nullable(), gridName: z.string().nullable(),
  patrolId: z.number().int().nullable(),
  ticket: z.string().nullable(), // the request its finding became
  photos: z.number().int(),
});
export type VisitRow = z.infer<typeof VisitRow>;

/** GET /api/visits/:id: the card, with the finding (its read is audited). */
export const VisitCard = VisitRow.extend({
  finding: z.string().nullable(),
  colourBefore: z.enum(careColours).nullable(), colourAfter: z.enum(careColours).nullable(),
  lon: z.number().nullable(), lat: z.number().nullable(),
  photoUrls: z.array(z.string()),
});
export type VisitCard = z.infer<typeof VisitCard>;

export const VisitList = z.object({ visits: z.array(VisitRow) });

const LineString = z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) });

/** A patrol: its time, its findings, and its track (null until two positions are known). */
export const Patrol = z.object({
  id: z.number().int(), workerId: z.string(), workerName: z.string().nullable(),
  gridId: z.string().nullable(), gridName: z.string().nullable(),
  startedAt: z.string(), endedAt: z.string().nullable(),
  minutes: z.number().int(), meters: z.number().int(), points: z.number().int(),
  track: LineString.nullable(),
  visits: z.array(VisitRow),
});
export type Patrol = z.infer<typeof Patrol>;

export const PatrolList = z.object({ patrols: z.array(Patrol.omit({ track: true, visits: true }).extend({ visits: z.number().int() })) });

export const ZeroReport = z.object({
  id: z.number().int(), workerId: z.string(), workerName: z.string().nullable(), day: z.string(),
  gridId: z.string().nullable(), at: z.string(),
});
export type ZeroReport = z.infer<typeof ZeroReport>;
/** POST /api/visits/zero answers the day's report and whether this call wrote it (false: it was there already). */
export const ZeroAnswer = ZeroReport.extend({ created: z.boolean() });

const PointGeometry = z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) });

/** GET /api/visits/coverage: each grid's buildings and care households, visited this month or not yet. */
export const Coverage = z.object({
  month: z.string(),
  grids: z.array(z.object({
    gridId: z.string(), gridName: z.string(),
    buildings: z.number().int(), visitedBuildings: z.number().int(),
    households: z.number().int(), visitedHouseholds: z.number().int(),
    visits: z.number().int(), patrols: z.number().int(), zeroDays: z.number().int(),
  })),
  buildings: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({
      type: z.literal('Feature'), id: z.string(), geometry: PointGeometry,
      properties: z.object({ id: z.string(), name: z.string().nullable(), gridId: z.string(), visits: z.number().int(), lastVisitAt: z.string().nullable() }),
    })),
  }),
  households: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({
      type: z.literal('Feature'), id: z.number().int(), geometry: PointGeometry,
      properties: z.object({ id: z.number().int(), gridId: z.string().nullable(), buildingId: z.string().nullable(), colour: z.enum(careColours), visits: z.number().int() }),
    })),
  }),
  zeroReports: z.array(ZeroReport),
});
export type Coverage = z.infer<typeof Coverage>;
