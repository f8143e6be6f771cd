import type { AreaLevel, PoiCategory, RequestStatus } from '../../../../api/contract/vocabulary.ts';
import type { Urgency } from './time-left.ts';
import { careSchemes, type CareColourName } from '../../../../api/contract/care.ts';

// Every colour of the app, once. The map style reads these values; the pages read the same ones
// as CSS custom properties (`--gm-…`, put on :root at start-up by ./tokens.ts). The tables are
// keyed by the vocabulary's types, so a new status or category without a colour does not compile.

// ---------------------------------------------------------------- the pages

/** The staff and resident pages, on white. */
export const ui = {
  surface: '#fff', // cards, panels, inputs
  paper: '#f4f1ea', // the staff pages' background, the same as the day map's land
  page: '#f4f5f7', // the residents' pages' background
  sunken: '#f1f1f1', // quiet tags, disabled buttons, an empty bar's track
  onColour: '#fff', // text on a coloured fill
  textStrong: '#111', // the residents' big type
  text: '#222',
  textSoft: '#333',
  muted: '#666', // labels of fields, meta lines
  faint: '#767676', // separators, steps not reached yet: the lightest grey text that still reads (AA 4.5:1 on white)
  borderStrong: '#555', // the residents' inputs: seen by old eyes
  border: '#999',
  borderSoft: '#bbb',
  rule: '#ccc',
  ruleSoft: '#eee',
  accent: '#b4232a', // party red: the brand, titles, a page's main button (and the community boundary)
  accentDeep: '#7a1f1f', // the far end of the sign-in page's red
  accentSoft: '#d9a3a6', // the main button while it waits
  action: '#c8161d', // the resident's one big red action, and the pin they drop
  danger: '#9b1c1c', // errors and warnings in words
  dangerSoft: '#fff0f0',
  ok: '#11692b', // done, sent, open now
  okSoft: '#eafaf1',
  done: '#1e8449', // steps a request has passed on its timeline (white ✓ on it at AA 4.5:1)
  caution: '#a35400', // a move that needs thought (escalate, me too)
  cautionLine: '#e07b00',
  notice: '#e0b84c', // "the same problem nearby?" boxes
  noticeSoft: '#fff8e6',
  noticeRule: '#ecd9a6',
  primary: '#0b5cad', // the residents' blue buttons
  link: '#0b4f93',
  star: '#f2a900',
  focus: '#f2c14e',
  highlight: '#1d1dd8', // the one thing picked out on a map (the circle's gap)
  highlightSoft: '#eef0ff',
} as const;

/** The wall screen: light on dark, for a room across. */
export const wall = {
  background: '#0b1220',
  panel: '#111c2e',
  panelBorder: '#1f2f4a',
  text: '#e8eef8',
  figure: '#fff',
  muted: '#93a4bf',
  brand: '#ff5a67',
  live: '#4fd18b', // the stream is up; resolved requests on the trend
  reconnecting: '#f2c14e',
  focus: '#ffd166', // the grid the tour stands on
  newRequests: '#3f7cc4',
  chartGrid: '#2a3a52',
} as const;

/** The rider's page: black on white for sunlight, and colours at full strength. */
export const rider = {
  ink: '#000',
  paper: '#fff',
  lit: '#ffd500', // the building asked for
  red: '#b00000',
  green: '#0a5a20',
  blue: '#0033b0',
  route: '#0044e0',
} as const;

// ---------------------------------------------------------------- the domain

/** Request markers by closed-loop status: warm = waiting for someone, cool = in hand, grey = done. */
export const statusColours: Record<RequestStatus, string> = {
  collected: '#d62828', // new, nobody has it yet
  claimed: '#f77f00',
  deliberating: '#fcbf49',
  resolving: '#2a9d8f',
  resolved: '#3a86ff',
  revisited: '#5e60ce',
  archived: '#9e9e9e',
  rejected: '#bdbdbd',
  duplicate: '#bdbdbd',
};

/** Time left on the step a request waits on (loop/time-left.ts): the worker's queue and the wall's markers. */
export const timeLeftColours: Record<Urgency, string> = {
  overdue: '#e5383b',
  urgent: '#f77f00',
  soon: '#f2c14e',
  ok: '#2bb673',
  none: '#8a8f98',
};

/** One colour per service-point category: its mark on the map, in the legend, on the rider's plan. */
export const poiColours: Record<PoiCategory, string> = {
  party_service_centre: '#c8102e',
  clinic: '#0a8f5a',
  pharmacy: '#2aa876',
  elderly_canteen: '#e07b00',
  elderly_care: '#b5651d',
  childrens_home: '#e4579c',
  rider_station: '#f25c05',
  grid_home: '#8e2c48',
  deliberation_corner: '#6a4c93',
  shared_toolbox: '#5c6b73',
  shop: '#1f77b4',
  supermarket: '#17569b',
  school: '#c99700',
  police: '#1d3557',
  ebike_charging: '#00a6c0',
  ebike_parking: '#4f7cac',
};

/** Grid fills by `colorIndex` (0–7): neighbouring grids differ, so these must be told apart. */
export const gridColours = [
  '#e6194b', // red
  '#3cb44b', // green
  '#4363d8', // blue
  '#f58231', // orange
  '#911eb4', // purple
  '#0fa5a5', // teal
  '#c9a800', // ochre
  '#f032e6', // magenta
] as const;

/** Boundaries by area level (grids are filled and outlined from `gridColours` by their colorIndex instead). */
export const levelColours: Record<Exclude<AreaLevel, 'grid'>, string> = {
  district: '#3b1414',
  street: '#7a1f1f',
  community: ui.accent, // bold party red: the community boundary
  microgrid: '#4a4a4a',
};

/** Exclusive grids (专属网格 of a school, a hospital…): hatched and outlined in this. */
export const exclusiveColour = '#1d3557';

/** The 15-minute circle: how many everyday services a building misses, none (green-white) to 4 and more (deep red). */
export const missingShades = ['#e7f5e1', '#fde2b0', '#f9a65a', '#e4572e', '#a3141b'] as const;
export const circleColours = { outline: '#5a3a1a', gap: ui.highlight } as const;

/** The wall's grids by open load 0–1 (feature-state `load`); the side panel's bars use the same stops. */
export const loadStops: readonly (readonly [number, string])[] = [
  [0, '#12314f'],
  [0.25, '#1f6f8b'],
  [0.5, '#c9a227'],
  [0.75, '#e07b22'],
  [1, '#e5383b'],
];

/** The load colour of a grid (the stop at or below its load). */
export function loadColour(load: number): string {
  let colour = loadStops[0][1];
  for (const [stop, c] of loadStops) if (load >= stop) colour = c;
  return colour;
}

// ---------------------------------------------------------------- the basemap

/** What the basemap and the area layers are drawn in; one set per light (the day map, the wall's night). */
export type MapColours = {
  background: string;
  water: string;
  park: string;
  green: string;
  school: string;
  hospital: string;
  plaza: string;
  /** land use of any other class */
  landuse: string;
  road: string;
  primary: string;
  roadCasing: string;
  building: string;
  buildingOutline: string;
  compound: string;
  microgrid: string;
  community: string;
  communityCasing: string;
  street: string;
  district: string;
  label: string;
  halo: string;
  landuseLabel: string;
  entranceLabel: string;
  microgridLabel: string;
  gridLabel: string;
  communityLabel: string;
  poiLabel: string;
};

const day: MapColours = {
  background: ui.paper,
  water: '#9fcbef',
  park: '#b9dfa4',
  green: '#cfe8bf',
  school: '#f3e2c6',
  hospital: '#f6d3d3',
  plaza: '#e9e4da',
  landuse: '#cfe8bf',
  road: '#fff',
  primary: '#fbd38d',
  roadCasing: '#c9bfb0',
  building: '#d9d0c3',
  buildingOutline: '#b3a795',
  compound: '#8d7b68',
  microgrid: levelColours.microgrid,
  community: levelColours.community,
  communityCasing: '#fff',
  street: levelColours.street,
  district: levelColours.district,
  label: ui.textSoft,
  halo: '#fff',
  landuseLabel: '#3d6b2a',
  entranceLabel: '#6b5b4b',
  microgridLabel: ui.borderStrong,
  gridLabel: ui.text,
  communityLabel: levelColours.community,
  poiLabel: ui.textSoft,
};

const night: MapColours = {
  background: wall.background,
  water: '#0f2f4f',
  park: '#12301f',
  green: '#12301f',
  school: '#111c2e',
  hospital: '#111c2e',
  plaza: '#111c2e',
  landuse: '#111c2e',
  road: '#2a3a52',
  primary: '#41597c',
  roadCasing: wall.background,
  building: '#1a2740',
  buildingOutline: '#24375a',
  compound: wall.muted,
  microgrid: '#7d8ca3',
  community: wall.brand,
  communityCasing: wall.background,
  street: '#ff8a8a',
  district: '#ffd0d0',
  label: wall.text,
  halo: wall.background,
  landuseLabel: wall.text,
  entranceLabel: wall.text,
  microgridLabel: wall.muted,
  gridLabel: wall.figure,
  communityLabel: '#ffb3b9',
  poiLabel: wall.text,
};

/** The basemap's colours by light: the wall's dark room, or daylight for every other map. */
export const mapColours = { day, night } as const;
/** The wall's grid lines, and the grid its tour stands on. */
export const wallGridColours = { line: '#6f93bf', focus: wall.focus } as const;

// care ledgers (issue 11 §2): the colour levels, as the contract configures them (api/contract/care.ts)
/** A care household's level colour: red needs most attention … green is stable (CSS: --gm-care-red …). */
export const careColours: Readonly<Record<CareColourName, string>> = Object.fromEntries(
  careSchemes.five.map((c) => [c.colour, c.hex]),
) as Record<CareColourName, string>;

/** The CSS value of a care level's colour (the token --gm-care-… that tokens.ts defines). */
export const careVar = (colour: CareColourName) => `var(--gm-care-${colour})`;

/** The console's map editing (issue 8 §2, admin/MapEditSection.svelte): buildings to pick, other points (CSS: --gm-edit-…). */
export const editColours = {
  building: '#9aa3ad',
  buildingLine: '#59626b',
  point: '#4a4a4a', // an entrance: neither a service point nor a gate
} as const;

// 三项清单 (issue 11 §1): needs on the map (open, or answered by a project) and resources (CSS: --gm-list-…)
export const listColours = { need: ui.cautionLine, answered: ui.done, resource: ui.primary } as const;
