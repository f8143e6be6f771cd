import type { ExpressionSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { exclusiveColour, gridColours, wallGridColours } from '../colours.ts';
import { coloursOf, type Theme } from './theme.ts';
import { fontNames as fonts } from './fonts-spec.ts';
import { matchBy } from './expressions.ts';

// Streets, communities, grids and micro-grids from the `areas` and `area_labels` tile layers.

/** Micro-grids are drawn from this zoom on: farther out they only clutter their grid. */
export const MICROGRID_MINZOOM = 15.5;
export const HATCH_IMAGE = 'hatch-exclusive';
/** Names of streets and communities, px (the street's raised above its count's disc, ems): a wall's are read from across a room. */
export const areaLabels = {
  map: { street: 16, community: 17, streetOffset: -1 },
  wall: { street: 26, community: 22, streetOffset: -1.4 },
} as const;

/** Gives the names the map page's sizes (the wall on a phone's width). */
export function mapSizedAreaLabels(map: MapLibreMap): void {
  map.setLayoutProperty('streets-label', 'text-size', areaLabels.map.street);
  map.setLayoutProperty('streets-label', 'text-offset', [0, areaLabels.map.streetOffset]);
  map.setLayoutProperty('communities-label', 'text-size', areaLabels.map.community);
}

/** the grids' outlines: the wall draws them only from a zoom on some screens (layers-wall.ts) */
export const GRIDS_LINE = 'grids-line';

const byColorIndex = matchBy(
  ['to-number', ['get', 'colorIndex'], 0],
  gridColours.slice(1).map((colour, i): [number, string] => [i + 1, colour]),
  gridColours[0],
);

const isLevel = (level: string): ExpressionSpecification => ['==', ['get', 'level'], level];
const isExclusive: ExpressionSpecification = ['all', isLevel('grid'), ['!=', ['coalesce', ['get', 'kind'], 'regular'], 'regular']];
/** the grid the wall's tour stands on (feature-state `focus`, set by layers-wall.ts) */
const focused: ExpressionSpecification = ['boolean', ['feature-state', 'focus'], false];

/**
 * Grids in their own colours, exclusive grids hatched, micro-grids made clickable. The wall shades
 * grids by load instead (layers-wall.ts); the circle is about buildings, so grid fills would only
 * compete with its shading there: it keeps the hatch alone.
 */
export function layersAreaFills(source: string, theme: Theme): LayerSpecification[] {
  const base = { source, 'source-layer': 'areas' } as const;
  const hatch: LayerSpecification = {
    ...base,
    id: 'grids-exclusive-hatch',
    type: 'fill',
    filter: isExclusive,
    metadata: { group: 'grids' },
    paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': 0.7 },
  };
  if (theme === 'wall') return [];
  if (theme === 'circle') return [hatch];
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
    hatch,
    {
      // invisible, but it makes micro-grids clickable
      ...base,
      id: 'microgrids-fill',
      type: 'fill',
      minzoom: MICROGRID_MINZOOM,
      filter: isLevel('microgrid'),
      metadata: { group: 'microgrids' },
      paint: { 'fill-color': coloursOf(theme).microgrid, 'fill-opacity': 0 },
    },
  ];
}

export function layersAreaLines(source: string, theme: Theme): LayerSpecification[] {
  const c = coloursOf(theme);
  const wall = theme === 'wall';
  // miter joins (bevelled past the miter limit): at these widths they look as round ones do, and a
  // round join is a fan of triangles at every vertex — on a screen drawn in software the county's
  // 4,096 grid outlines cost a quarter of its frame with round joins (docs/scaling.md)
  const base = { source, 'source-layer': 'areas', layout: { 'line-join': 'miter' } } as const;
  const exclusiveLine: LayerSpecification = {
    ...base,
    id: 'grids-exclusive-line',
    type: 'line',
    filter: isExclusive,
    metadata: { group: 'grids' },
    paint: { 'line-color': exclusiveColour, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 2, 17, 4], 'line-dasharray': [2, 1] },
  };
  return [
    {
      ...base,
      id: 'microgrids-line',
      type: 'line',
      minzoom: MICROGRID_MINZOOM,
      filter: isLevel('microgrid'),
      metadata: { group: 'microgrids' },
      paint: { 'line-color': c.microgrid, 'line-width': 1, 'line-dasharray': [3, 2], 'line-opacity': wall ? 0.5 : 0.8 },
    },
    {
      ...base,
      id: GRIDS_LINE,
      type: 'line',
      filter: isLevel('grid'),
      metadata: { group: 'grids' },
      paint: wall
        ? { 'line-color': ['case', focused, wallGridColours.focus, wallGridColours.line], 'line-width': ['case', focused, 6, 1.8] }
        : { 'line-color': byColorIndex, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.2, 17, 2.5] },
    },
    ...(wall ? [] : [exclusiveLine]),
    {
      ...base,
      id: 'communities-casing',
      type: 'line',
      filter: isLevel('community'),
      paint: { 'line-color': c.communityCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 4, 17, 8], 'line-opacity': wall ? 0.9 : 0.8 },
    },
    {
      ...base,
      id: 'communities-line',
      type: 'line',
      filter: isLevel('community'),
      paint: { 'line-color': c.community, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 4.5] },
    },
    {
      ...base,
      id: 'streets-line',
      type: 'line',
      filter: isLevel('street'),
      // a district's wall tours its streets: the one it stands on lit like a grid of a street's wall
      paint: { 'line-color': wall ? ['case', focused, wallGridColours.focus, c.street] : c.street, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 6], 'line-dasharray': [4, 1, 1, 1] },
    },
    {
      ...base,
      id: 'districts-line',
      type: 'line',
      filter: isLevel('district'),
      paint: { 'line-color': c.district, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 12, 4, 17, 8] },
    },
  ];
}

/** Names of micro-grids, grids and communities; on the wall, grids read from across the room. */
export function layersAreaLabels(source: string, theme: Theme): LayerSpecification[] {
  const c = coloursOf(theme);
  const wall = theme === 'wall';
  const base = { source, 'source-layer': 'area_labels', type: 'symbol' } as const;
  const halo = { 'text-halo-color': c.halo, 'text-halo-width': 2 };
  const microgrids: LayerSpecification = {
    ...base,
    id: 'microgrids-label',
    minzoom: 16.5,
    filter: isLevel('microgrid'),
    metadata: { group: 'microgrids' },
    layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-size': 11, 'text-max-width': 8 },
    paint: { ...halo, 'text-color': c.microgridLabel },
  };
  return [
    ...(wall ? [] : [microgrids]),
    {
      ...base,
      id: 'grids-label',
      minzoom: wall ? 12.5 : 13.5,
      filter: isLevel('grid'),
      metadata: { group: 'grids' },
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fonts.bold,
        'text-size': wall ? ['interpolate', ['linear'], ['zoom'], 13, 15, 16, 24] : ['interpolate', ['linear'], ['zoom'], 14, 12, 18, 16],
        'text-max-width': 8,
      },
      paint: { ...halo, 'text-color': c.gridLabel, 'text-halo-width': wall ? 2.5 : 2 },
    },
    {
      ...base,
      id: 'communities-label',
      // a county's 256 village names from 11 on; further out its streets' names
      minzoom: 11,
      maxzoom: 15.5,
      filter: isLevel('community'),
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.bold, 'text-size': areaLabels[wall ? 'wall' : 'map'].community, 'text-allow-overlap': false },
      paint: { ...halo, 'text-color': c.communityLabel, 'text-halo-width': 2.5 },
    },
    {
      ...base,
      id: 'streets-label',
      maxzoom: 11,
      filter: isLevel('street'),
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.bold, 'text-size': areaLabels[wall ? 'wall' : 'map'].street, 'text-allow-overlap': false, 'text-offset': [0, areaLabels[wall ? 'wall' : 'map'].streetOffset] },
      paint: { ...halo, 'text-color': c.communityLabel, 'text-halo-width': 2.5 },
    },
  ];
}
