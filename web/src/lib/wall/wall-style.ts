import type { ExpressionSpecification, FontFacesSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { gridMapStyle, REQUESTS_SOURCE, TILES_SOURCE } from '../map/style.ts';
import { fontNames } from '../map/fonts-spec.ts';
import { urgencyColors } from '../loop/time-left.ts';

// The wall screen's style: the grid map's own style (same tiles, same layers), re-coloured dark
// for a room across, grids shaded by their open load, and live request markers on top.

export const LIVE_SOURCE = 'live';

export const wallColors = {
  background: '#0b1220',
  land: '#111b2c',
  water: '#0f2f4f',
  park: '#12301f',
  road: '#2a3a52',
  primary: '#41597c',
  building: '#1a2740',
  buildingOutline: '#24375a',
  label: '#c9d6ea',
  halo: '#0b1220',
  gridLine: '#6f93bf',
  community: '#ff5a67',
  focus: '#ffd166',
};

/** Open load 0–1 (from /api/stats, set as feature-state `load` on each grid) → fill colour. */
export const loadColorStops: [number, string][] = [
  [0, '#12314f'],
  [0.25, '#1f6f8b'],
  [0.5, '#c9a227'],
  [0.75, '#e07b22'],
  [1, '#e5383b'],
];

const load: ExpressionSpecification = ['coalesce', ['feature-state', 'load'], 0];
const focused: ExpressionSpecification = ['boolean', ['feature-state', 'focus'], false];
/** grids of the screen's own area (feature-state `inArea`); the neighbours stay dim */
const inArea: ExpressionSpecification = ['boolean', ['feature-state', 'inArea'], false];

/** Paint and layout overrides of the grid map's layers, by id; layers not named keep their look. */
const overrides: Record<string, { paint?: Record<string, unknown>; layout?: Record<string, unknown>; hide?: boolean; minzoom?: number }> = {
  background: { paint: { 'background-color': wallColors.background } },
  landuse: {
    paint: { 'fill-color': ['match', ['get', 'class'], 'water', wallColors.water, 'park', wallColors.park, 'green', wallColors.park, wallColors.land] },
  },
  'grids-fill': {
    paint: {
      'fill-color': ['interpolate', ['linear'], load, ...loadColorStops.flat()],
      'fill-opacity': ['case', focused, 0.85, inArea, 0.62, 0.12],
    },
  },
  'grids-exclusive-hatch': { hide: true },
  'roads-casing': { paint: { 'line-color': wallColors.background } },
  roads: { paint: { 'line-color': ['match', ['get', 'class'], 'primary', wallColors.primary, wallColors.road], 'line-opacity': 0.85 } },
  'compounds-fill': { hide: true },
  buildings: { paint: { 'fill-color': wallColors.building, 'fill-outline-color': wallColors.buildingOutline, 'fill-opacity': 0.7 } },
  'compounds-outline': { hide: true },
  'microgrids-line': { paint: { 'line-color': '#7d8ca3', 'line-opacity': 0.5 } },
  'grids-line': {
    paint: {
      'line-color': ['case', focused, wallColors.focus, wallColors.gridLine],
      'line-width': ['case', focused, 6, 1.8],
    },
  },
  'grids-exclusive-line': { hide: true },
  'communities-casing': { paint: { 'line-color': wallColors.background, 'line-opacity': 0.9 } },
  'communities-line': { paint: { 'line-color': wallColors.community } },
  'streets-line': { paint: { 'line-color': '#ff8a8a' } },
  'roads-label': { hide: true },
  'landuse-label': { hide: true },
  'compounds-label': { hide: true },
  'buildings-label': { hide: true },
  'entrances-label': { hide: true },
  'gates-label': { hide: true },
  'microgrids-label': { hide: true },
  'grids-label': {
    minzoom: 12.5,
    layout: { 'text-size': ['interpolate', ['linear'], ['zoom'], 13, 15, 16, 24] },
    paint: { 'text-color': '#ffffff', 'text-halo-color': wallColors.halo, 'text-halo-width': 2.5 },
  },
  'communities-label': { layout: { 'text-size': 22 }, paint: { 'text-color': '#ffb3b9', 'text-halo-color': wallColors.halo } },
  'pois-icon': { paint: { 'icon-opacity': 0.55, 'text-opacity': 0.55 } },
  'pois-label': { hide: true },
  // the grid map's request layers give way to the live ones below
  'requests-halo': { hide: true },
  requests: { hide: true },
};

const urgency: ExpressionSpecification = ['get', 'urgency'];
const urgencyColor = [
  'match', urgency,
  'overdue', urgencyColors.overdue, 'urgent', urgencyColors.urgent, 'soon', urgencyColors.soon, 'ok', urgencyColors.ok,
  urgencyColors.none,
] as unknown as ExpressionSpecification;

/** Live request markers: a halo when overdue, a ring that pulses on arrival, the dot by time left. */
function layersLive(): LayerSpecification[] {
  const pulse: ExpressionSpecification = ['coalesce', ['feature-state', 'pulse'], -1];
  return [
    {
      id: 'live-overdue-halo',
      type: 'circle',
      source: LIVE_SOURCE,
      filter: ['==', urgency, 'overdue'],
      paint: {
        'circle-color': urgencyColors.overdue,
        'circle-opacity': 0.28,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 16, 17, 30],
        'circle-blur': 0.35,
      },
    },
    {
      // feature-state `pulse` runs 0 → 1 during the pulse; -1 (no state) hides the ring
      id: 'live-pulse',
      type: 'circle',
      source: LIVE_SOURCE,
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': urgencyColor,
        'circle-stroke-width': 4,
        'circle-stroke-opacity': ['case', ['<', pulse, 0], 0, ['-', 1, pulse]],
        'circle-radius': ['case', ['<', pulse, 0], 0, ['+', 10, ['*', pulse, 46]]],
      },
    },
    {
      id: 'live-markers',
      type: 'circle',
      source: LIVE_SOURCE,
      paint: {
        'circle-color': urgencyColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 7, 17, 12],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2.5,
      },
    },
  ];
}

export function wallStyle(tilesUrl: string, fontFaces?: FontFacesSpecification): StyleSpecification {
  const base = gridMapStyle({ tilesUrl, fontFaces, fonts: fontNames });
  const layers: LayerSpecification[] = [];
  for (const layer of base.layers) {
    const o = overrides[layer.id];
    if (o?.hide) continue;
    const next = { ...layer } as LayerSpecification & { paint?: object; layout?: object };
    if (o?.paint) next.paint = { ...(layer as { paint?: object }).paint, ...o.paint };
    if (o?.layout) next.layout = { ...(layer as { layout?: object }).layout, ...o.layout };
    if (o?.minzoom !== undefined) next.minzoom = o.minzoom;
    layers.push(next);
  }
  const sources = { ...base.sources };
  delete sources[REQUESTS_SOURCE];
  sources[LIVE_SOURCE] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'ticket' };
  return { ...base, name: 'grid-map-wall', sources, layers: [...layers, ...layersLive()] };
}

export { TILES_SOURCE };
