import { z } from 'zod';

// Care ledgers (五色管理台账, issue 11 §2): households needing care, their colour level and the
// visits owed to them. Personal data, staff in scope only (docs/care.md). The colour schemes are
// configuration: the seed names the five-colour ledger (003) and the children's 四色管理 whose visit
// frequency follows the colour; the frequencies below are this product's defaults, changed here.

/** One colour of a scheme: how often the household is visited (days between visits), most urgent first. */
export type CareColour = { colour: CareColourName; everyDays: number; hex: string };

/**
 * The schemes: the five-colour ledger for adults (red: needs help now … green: stable), and the
 * children's four colours (红橙黄绿, 困境儿童 四色管理) with at least one visit a month (一月一访).
 */
export const careSchemes = {
  five: [
    { colour: 'red', everyDays: 7, hex: '#d7301f' }, // 每周一访
    { colour: 'orange', everyDays: 14, hex: '#f07f1d' }, // 每半月一访
    { colour: 'yellow', everyDays: 30, hex: '#e3b40b' }, // 每月一访
    { colour: 'blue', everyDays: 60, hex: '#2f7bc4' }, // 每两月一访
    { colour: 'green', everyDays: 90, hex: '#2e9e4f' }, // 每季一访
  ],
  children: [
    { colour: 'red', everyDays: 7, hex: '#d7301f' },
    { colour: 'orange', everyDays: 14, hex: '#f07f1d' },
    { colour: 'yellow', everyDays: 30, hex: '#e3b40b' },
    { colour: 'green', everyDays: 30, hex: '#2e9e4f' }, // 一月一访 at the least
  ],
} as const satisfies Record<string, readonly CareColour[]>;
export type CareScheme = keyof typeof careSchemes;
export const careSchemeNames = Object.keys(careSchemes) as CareScheme[];
export const careColours = ['red', 'orange', 'yellow', 'blue', 'green'] as const;
export type CareColourName = (typeof careColours)[number];

/** The colour's place in its scheme, or undefined when the scheme has no such colour (blue among the children's). */
export const colourOf = (scheme: CareScheme, colour: string): CareColour | undefined =>
  (careSchemes[scheme] as readonly CareColour[]).find((c) => c.colour === colour);

/** Who a household is: the groups of the seeds (空巢/独居老人, 高龄, 残疾人, 留守/困境儿童, 低保…). */
export const careCategories = ['living_alone', 'empty_nest', 'very_old', 'disabled', 'child_in_difficulty', 'left_behind_child', 'low_income', 'serious_illness'] as const;
export type CareCategory = (typeof careCategories)[number];

/** Staff roles that keep the ledger: by their area (street, community, grid, micro-grid). Mediators and party households do not. */
export const careRoles = ['street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader'] as const;
export const isCareRole = (role: string) => (careRoles as readonly string[]).includes(role);

/** Days ahead that count as "due soon" in the list of visits owed. */
export const careDueSoonDays = 7;

// ---------------------------------------------------------------- the wire

const text = (max: number) => z.string().trim().max(max);
const scheme = z.enum(careSchemeNames as [CareScheme, ...CareScheme[]]);
const colour = z.enum(careColours);
/** A mainland ID number (18 characters, last may be X) or a passport-like code: checked for shape, not validity. */
const idNumber = z.string().trim().toUpperCase().regex(/^[0-9A-Z]{6,20}$/, { error: 'idNumber must be 6–20 letters and digits' });
const phone = z.string().trim().regex(/^[0-9+\- ]{5,20}$/, { error: 'phone must be 5–20 digits' });

/** POST /api/care/households: a household as its worker writes it down. */
export const CareHouseholdInput = z.strictObject({
  name: text(40).min(1),
  idNumber: idNumber.optional(),
  phone: phone.optional(),
  buildingId: z.string().trim().min(1).max(80),
  room: text(40).optional(), // 3单元502
  scheme: scheme.default('five'),
  colour,
  categories: z.array(z.enum(careCategories)).max(careCategories.length).default([]),
  workerId: z.string().trim().min(1).max(80).optional(), // default: the grid's worker, or whoever writes it
  notes: text(2000).optional(),
});
export type CareHouseholdInput = z.infer<typeof CareHouseholdInput>;

/** POST /api/care/households/:id: the fields to change; absent ones stay (no defaults here: a missing scheme is not `five`). */
export const CareHouseholdEdit = z.strictObject({
  name: text(40).min(1).optional(),
  idNumber: idNumber.or(z.literal('')).optional(), // '' erases it
  phone: phone.or(z.literal('')).optional(),
  room: text(40).optional(),
  scheme: scheme.optional(),
  colour: colour.optional(),
  categories: z.array(z.enum(careCategories)).max(careCategories.length).optional(),
  workerId: z.string().trim().min(1).max(80).optional(),
  notes: text(2000).optional(),
});
export type CareHouseholdEdit = z.infer<typeof CareHouseholdEdit>;

/** POST /api/care/households/:id/visits: what was found, and the colour the household is at now. */
export const CareVisitInput = z.strictObject({
  finding: text(2000).min(1),
  colour: colour.optional(), // a new level after this visit (red → green as needs are met)
  at: z.iso.datetime({ offset: true }).optional(), // when, if written down afterwards; default now
});
export type CareVisitInput = z.infer<typeof CareVisitInput>;

export const CareListQuery = z.object({
  colour: colour.optional(),
  grid: z.string().trim().min(1).max(80).optional(),
  /** an exact name: found by its keyed blind index, never by reading every name */
  name: text(40).min(1).optional(),
});

/** One household in a list: no ID number, no phone, no notes (those are on its card). */
export const CareHouseholdRow = z.object({
  id: z.number().int(),
  name: z.string().nullable(), // null: the key that sealed it is not this server's
  gridId: z.string().nullable(), gridName: z.string().nullable(),
  buildingId: z.string().nullable(), buildingName: z.string().nullable(), room: z.string().nullable(),
  scheme, colour, categories: z.array(z.enum(careCategories)),
  workerId: z.string().nullable(), workerName: z.string().nullable(),
  lastVisitAt: z.string().nullable(), dueAt: z.string(),
  state: z.enum(['overdue', 'due_soon', 'ok']),
});
export type CareHouseholdRow = z.infer<typeof CareHouseholdRow>;

export const CareVisit = z.object({
  id: z.number().int(), at: z.string(), workerId: z.string().nullable(), workerName: z.string().nullable(),
  finding: z.string().nullable(), colourBefore: colour.nullable(), colourAfter: colour.nullable(),
});
export type CareVisit = z.infer<typeof CareVisit>;

/** GET /api/care/households/:id: the card, with every field and the visits, newest first. */
export const CareHousehold = CareHouseholdRow.extend({
  idNumber: z.string().nullable(), phone: z.string().nullable(), notes: z.string().nullable(),
  lon: z.number(), lat: z.number(),
  visits: z.array(CareVisit),
  /** the health map's history, newest first: written down at a colour, changed by an edit, or by a visit — with who and when */
  colourHistory: z.array(z.object({
    at: z.string(), by: z.string().nullable(), from: colour.nullable(), to: colour, via: z.enum(['created', 'edited', 'visit']),
  })),
});
export type CareHousehold = z.infer<typeof CareHousehold>;

export const CareList = z.object({
  households: z.array(CareHouseholdRow),
  counts: z.record(z.string(), z.number().int()), // per colour
  overdue: z.number().int(), dueSoon: z.number().int(),
});
export type CareList = z.infer<typeof CareList>;

/** GET /api/care/due: visits owed per worker (overdue, or due within careDueSoonDays). */
export const CareDue = z.object({
  workers: z.array(z.object({
    workerId: z.string().nullable(), workerName: z.string().nullable(),
    overdue: z.number().int(), dueSoon: z.number().int(),
    households: z.array(CareHouseholdRow),
  })),
});
export type CareDue = z.infer<typeof CareDue>;

/** GET /api/care/map: the health map, households as points with their colour (staff in scope only). */
export const CareMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'), id: z.number().int(),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: z.object({ id: z.number().int(), colour, hex: z.string(), state: z.enum(['overdue', 'due_soon', 'ok']) }),
  })),
});
export type CareMap = z.infer<typeof CareMap>;

/** GET /api/care/places: what the household form chooses from — the grids in scope, their residential buildings, the staff who may be responsible. */
export const CarePlaces = z.object({
  grids: z.array(z.object({ id: z.string(), name: z.string() })),
  buildings: z.array(z.object({ id: z.string(), name: z.string(), gridId: z.string() })),
  workers: z.array(z.object({ id: z.string(), name: z.string(), areaId: z.string() })),
});
export type CarePlaces = z.infer<typeof CarePlaces>;

/** What the wall (kiosk) may show: counts per grid and colour, never a household. */
export const CareCounts = z.array(z.object({ gridId: z.string(), colour, households: z.number().int() }));
export type CareCounts = z.infer<typeof CareCounts>;

// ---------------------------------------------------------------- names, in each language the product speaks

export type CareNames = {
  colours: Record<CareColourName, string>;
  schemes: Record<CareScheme, string>;
  categories: Record<CareCategory, string>;
  every: (days: number) => string;
};

const everyZh = (days: number) => ({ 7: '每周一访', 14: '每半月一访', 30: '每月一访', 60: '每两月一访', 90: '每季度一访' } as Record<number, string>)[days] ?? `每 ${days} 天一访`;

export const zhCNCareNames: CareNames = {
  colours: { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色', green: '绿色' },
  schemes: { five: '五色管理', children: '儿童四色管理' },
  categories: {
    living_alone: '独居老人', empty_nest: '空巢老人', very_old: '高龄老人', disabled: '残疾人',
    child_in_difficulty: '困境儿童', left_behind_child: '留守儿童', low_income: '低保户', serious_illness: '大病患者',
  },
  every: everyZh,
};

export const enCareNames: CareNames = {
  colours: { red: 'Red', orange: 'Orange', yellow: 'Yellow', blue: 'Blue', green: 'Green' },
  schemes: { five: 'Five colours', children: "Children's four colours" },
  categories: {
    living_alone: 'Living alone', empty_nest: 'Empty nest', very_old: 'Aged 80+', disabled: 'Disabled',
    child_in_difficulty: 'Child in difficulty', left_behind_child: 'Left-behind child', low_income: 'Minimum living allowance', serious_illness: 'Serious illness',
  },
  every: (days) => (days === 7 ? 'weekly' : days === 30 ? 'monthly' : `every ${days} days`),
};
