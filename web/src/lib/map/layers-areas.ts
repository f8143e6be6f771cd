import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { areaColors, gridColors } from './theme.ts';
import type { Fonts } from './fonts-spec.ts';
import { matchBy } from './expressions.ts';

// Streets, communities, grids and micro-grids from the `areas` and `area_labels` tile layers.

/** Micro-grids are drawn from this zoom on: farther out they only clutter their grid. */
export const MICROGRID_MINZOOM = 15.5;
export const HATCH_IMAGE = 'hatch-exclusive';

const byColorIndex = matchBy(
  ['to-number', ['get', 'colorIndex'], 0],
  gridColors.slice(1).map((color, i): [number, string] => [i + 1, color]),
  gridColors[0],
);

const isLevel = (level: string): ExpressionSpecification => ['==', ['get', 'level'], level];
const isExclusive: ExpressionSpecification = ['all', isLevel('grid'), ['!=', ['coalesce', ['get', 'kind'], 'regular'], 'regular']];

export function layersAreaFills(source: string): LayerSpecification[] {
  const base = { source, 'source-layer': 'areas' } as const;
  return [
    {
      ...base,
      id: 'grids-fill',
      type: 'fill',
      filter: isLevel('grid'),
      metadata: { group: 'grids' },
      paint: {
        'fill-color': byColorIndex,
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 13, 0.32, 17, 0.16, 19, 0.08],
      },
    },
    {
      ...base,
      id: 'grids-exclusive-hatch',
      type: 'fill',
      filter: isExclusive,
      metadata: { group: 'grids' },
      paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': 0.7 },
    },
    {
      // invisible, but it makes micro-grids clickable
      ...base,
      id: 'microgrids-fill',
      type: 'fill',
      minzoom: MICROGRID_MINZOOM,
      filter: isLevel('microgrid'),
      metadata: { group: 'microgrids' },
      paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
    },
  ];
}

export function layersAreaLines(source: string): LayerSpecification[] {
  const base = { source, 'source-layer': 'areas', layout: { 'line-join': 'round' } } as const;
  return [
    {
      ...base,
      id: 'microgrids-line',
      type: 'line',
      minzoom: MICROGRID_MINZOOM,
      filter: isLevel('microgrid'),
      metadata: { group: 'microgrids' },
      paint: { 'line-color': '#4a4a4a', 'line-width': 1, 'line-dasharray': [3, 2], 'line-opacity': 0.8 },
    },
    {
      ...base,
      id: 'grids-line',
      type: 'line',
      filter: isLevel('grid'),
      metadata: { group: 'grids' },
      paint: { 'line-color': byColorIndex, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.2, 17, 2.5] },
    },
    {
      ...base,
      id: 'grids-exclusive-line',
      type: 'line',
      filter: isExclusive,
      metadata: { group: 'grids' },
      paint: { 'line-color': areaColors.exclusive, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 2, 17, 4], 'line-dasharray': [2, 1] },
    },
    {
      ...base,
      id: 'communities-casing',
      type: 'line',
      filter: isLevel('community'),
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 4, 17, 8], 'line-opacity': 0.8 },
    },
    {
      ...base,
      id: 'communities-line',
      type: 'line',
      filter: isLevel('community'),
      paint: { 'line-color': areaColors.community, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 4.5] },
    },
    {
      ...base,
      id: 'streets-line',
      type: 'line',
      filter: isLevel('street'),
      paint: { 'line-color': areaColors.street, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 6], 'line-dasharray': [4, 1, 1, 1] },
    },
  ];
}

export function layersAreaLabels(source: string, fonts: Fonts): LayerSpecification[] {
  const base = { source, 'source-layer': 'area_labels', type: 'symbol' } as const;
  const halo = { 'text-halo-color': '#ffffff', 'text-halo-width': 2 };
  return [
    {
      ...base,
      id: 'microgrids-label',
      minzoom: 16.5,
      filter: isLevel('microgrid'),
      metadata: { group: 'microgrids' },
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-size': 11, 'text-max-width': 8 },
      paint: { ...halo, 'text-color': '#555555' },
    },
    {
      ...base,
      id: 'grids-label',
      minzoom: 13.5,
      filter: isLevel('grid'),
      metadata: { group: 'grids' },
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fonts.bold,
        'text-size': ['interpolate', ['linear'], ['zoom'], 14, 12, 18, 16],
        'text-max-width': 8,
      },
      paint: { ...halo, 'text-color': '#222222' },
    },
    {
      ...base,
      id: 'communities-label',
      maxzoom: 15.5,
      filter: isLevel('community'),
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.bold, 'text-size': 17, 'text-allow-overlap': false },
      paint: { ...halo, 'text-color': areaColors.community, 'text-halo-width': 2.5 },
    },
  ];
}
