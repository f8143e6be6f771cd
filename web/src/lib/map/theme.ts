import { refusedStatuses } from '../../../../api/contract/vocabulary.ts';

// Colours and marks of the grid map, shared by the style and the legend.

/** Grid fills by `colorIndex` (0–7): neighbouring grids differ, so these must be told apart. */
export const gridColors = [
  '#e6194b', // red
  '#3cb44b', // green
  '#4363d8', // blue
  '#f58231', // orange
  '#911eb4', // purple
  '#0fa5a5', // teal
  '#c9a800', // ochre
  '#f032e6', // magenta
] as const;

export const basemapColors = {
  background: '#f4f1ea',
  park: '#b9dfa4',
  green: '#cfe8bf',
  water: '#9fcbef',
  school: '#f3e2c6',
  hospital: '#f6d3d3',
  plaza: '#e9e4da',
  building: '#d9d0c3',
  buildingOutline: '#b3a795',
  compound: '#8d7b68',
  road: '#ffffff',
  roadCasing: '#c9bfb0',
  primary: '#fbd38d',
  label: '#3a3a3a',
  halo: '#ffffff',
};

export const areaColors = {
  street: '#7a1f1f',
  community: '#b4232a', // bold red: the party's community boundary
  exclusive: '#1d3557',
};

/** One colour and one character per service-point category: the icon is the character on the colour. */
export const poiStyles: Record<string, { color: string; glyph: string }> = {
  party_service_centre: { color: '#c8102e', glyph: '党' },
  clinic: { color: '#0a8f5a', glyph: '医' },
  pharmacy: { color: '#2aa876', glyph: '药' },
  elderly_canteen: { color: '#e07b00', glyph: '食' },
  elderly_care: { color: '#b5651d', glyph: '老' },
  childrens_home: { color: '#e4579c', glyph: '童' },
  rider_station: { color: '#f25c05', glyph: '驿' },
  grid_home: { color: '#8e2c48', glyph: '格' },
  deliberation_corner: { color: '#6a4c93', glyph: '议' },
  shared_toolbox: { color: '#5c6b73', glyph: '工' },
  shop: { color: '#1f77b4', glyph: '商' },
  supermarket: { color: '#17569b', glyph: '超' },
  school: { color: '#c99700', glyph: '学' },
  police: { color: '#1d3557', glyph: '警' },
  ebike_charging: { color: '#00a6c0', glyph: '充' },
  ebike_parking: { color: '#4f7cac', glyph: '停' },
};
export const poiCategories = Object.keys(poiStyles);
export const poiFallback = { color: '#666666', glyph: '点' };

/** Request markers by closed-loop status: warm = waiting for someone, cool = in hand, grey = done. */
export const requestStatusColors: Record<string, string> = {
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
export const requestStatuses = Object.keys(requestStatusColors);
/** Statuses whose request is finished: drawn faint, hidden unless the user asks for them. */
export const closedStatuses: string[] = ['archived', ...refusedStatuses];
