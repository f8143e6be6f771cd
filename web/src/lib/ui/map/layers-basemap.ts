import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { coloursOf, type Theme } from './theme.ts';
import { fontNames as fonts } from './fonts-spec.ts';

// The basemap from our own vector tiles: land use, roads, compounds, buildings, entrances.

const roadWidth = (primary: number, secondary: number, tertiary: number, lane: number, footway: number): ExpressionSpecification =>
  ['match', ['get', 'class'], 'primary', primary, 'secondary', secondary, 'tertiary', tertiary, 'lane', lane, footway];

/** Widths grow with zoom: the stops are the widths (px) at z14 and z18. */
const roadWidthByZoom = (scale: number): ExpressionSpecification => [
  'interpolate', ['exponential', 1.6], ['zoom'],
  14, roadWidth(4 * scale, 3 * scale, 2 * scale, 1 * scale, 0.6 * scale),
  18, roadWidth(26 * scale, 20 * scale, 14 * scale, 8 * scale, 3 * scale),
];

export function layersBackground(theme: Theme): LayerSpecification[] {
  return [{ id: 'background', type: 'background', paint: { 'background-color': coloursOf(theme).background } }];
}

export function layersLanduse(source: string, theme: Theme): LayerSpecification[] {
  const c = coloursOf(theme);
  return [{
    id: 'landuse',
    type: 'fill',
    source,
    'source-layer': 'landuse',
    paint: {
      'fill-color': ['match', ['get', 'class'],
        'park', c.park, 'green', c.green, 'water', c.water, 'school', c.school,
        'hospital', c.hospital, 'plaza', c.plaza, c.landuse],
    },
  }];
}

export function layersRoads(source: string, theme: Theme): LayerSpecification[] {
  const c = coloursOf(theme);
  const base = { source, 'source-layer': 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' } } as const;
  return [
    { ...base, id: 'roads-casing', type: 'line', paint: { 'line-color': c.roadCasing, 'line-width': roadWidthByZoom(1.25) } },
    {
      ...base,
      id: 'roads',
      type: 'line',
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', c.primary, c.road],
        'line-width': roadWidthByZoom(1),
        // on the dark wall full-strength roads would outshine the grids
        ...(theme === 'wall' && { 'line-opacity': 0.85 }),
      },
    },
  ];
}

export function layersBuildings(source: string, theme: Theme): LayerSpecification[] {
  const c = coloursOf(theme);
  const buildings: LayerSpecification = {
    id: 'buildings',
    type: 'fill',
    source,
    'source-layer': 'buildings',
    minzoom: 14,
    metadata: { group: 'buildings' },
    paint: { 'fill-color': c.building, 'fill-outline-color': c.buildingOutline, ...(theme === 'wall' && { 'fill-opacity': 0.7 }) },
  };
  // across a room, compounds are noise: the wall draws buildings only
  if (theme === 'wall') return [buildings];
  return [
    {
      id: 'compounds-fill',
      type: 'fill',
      source,
      'source-layer': 'compounds',
      minzoom: 14,
      paint: { 'fill-color': c.compound, 'fill-opacity': 0.06 },
    },
    buildings,
    {
      id: 'compounds-outline',
      type: 'line',
      source,
      'source-layer': 'compounds',
      minzoom: 14,
      paint: { 'line-color': c.compound, 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.8, 18, 2], 'line-dasharray': [3, 1.5] },
    },
  ];
}

/** Names of roads, parks, compounds, building numbers, entrances and gates; the wall names areas only. */
export function layersBasemapLabels(source: string, theme: Theme): LayerSpecification[] {
  if (theme === 'wall') return [];
  const c = coloursOf(theme);
  const halo = { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 };
  return [
    {
      id: 'roads-label',
      type: 'symbol',
      source,
      'source-layer': 'roads',
      minzoom: 14,
      filter: ['has', 'name'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': fonts.regular,
        'text-size': ['interpolate', ['linear'], ['zoom'], 14, 11, 18, 15],
        'text-max-angle': 30,
        'symbol-spacing': 300,
      },
      paint: halo,
    },
    {
      id: 'landuse-label',
      type: 'symbol',
      source,
      'source-layer': 'landuse',
      minzoom: 15,
      filter: ['has', 'name'],
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-size': 12 },
      paint: { ...halo, 'text-color': c.landuseLabel },
    },
    {
      id: 'compounds-label',
      type: 'symbol',
      source,
      'source-layer': 'compounds',
      minzoom: 16,
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.bold, 'text-size': 13 },
      paint: { ...halo, 'text-color': c.compound },
    },
    {
      id: 'buildings-label',
      type: 'symbol',
      source,
      'source-layer': 'buildings',
      minzoom: 17,
      metadata: { group: 'buildings' },
      filter: ['has', 'number'],
      layout: { 'text-field': ['get', 'number'], 'text-font': fonts.regular, 'text-size': 12 },
      paint: halo,
    },
    {
      id: 'entrances-label',
      type: 'symbol',
      source,
      'source-layer': 'entrances',
      minzoom: 18,
      metadata: { group: 'buildings' },
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-size': 10, 'text-anchor': 'top' },
      paint: { ...halo, 'text-color': c.entranceLabel },
    },
    {
      id: 'gates-label',
      type: 'symbol',
      source,
      'source-layer': 'gates',
      minzoom: 17,
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-size': 11 },
      paint: { ...halo, 'text-color': c.compound },
    },
  ];
}
