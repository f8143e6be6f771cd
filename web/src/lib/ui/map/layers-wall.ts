import type { ExpressionSpecification, FilterSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { loadStops, timeLeftColours, ui } from '../colours.ts';
import { matchBy } from './expressions.ts';
import { LIVE_SOURCE, TILES_SOURCE } from './sources.ts';
import { GRIDS_LINE } from './layers-areas.ts';
import type { UnitLevel } from '../../../../../api/contract/vocabulary.ts';

// The wall screen's own layers: its units (grids, or a district's streets: api/live/stats.ts)
// shaded by their open load (feature-state on the tiles' areas), and live request markers coloured
// by time left, with a ring that pulses on arrival.

const load: ExpressionSpecification = ['coalesce', ['feature-state', 'load'], 0];
const focused: ExpressionSpecification = ['boolean', ['feature-state', 'focus'], false];
/** units of the screen's own area (feature-state `inArea`); the neighbours stay dim */
const inArea: ExpressionSpecification = ['boolean', ['feature-state', 'inArea'], false];

const unitsLayer = 'units-load';
const ofLevel = (level: UnitLevel): FilterSpecification => ['==', ['get', 'level'], level];

export function layersUnitLoad(source: string): LayerSpecification[] {
  return [{
    id: unitsLayer,
    type: 'fill',
    source,
    'source-layer': 'areas',
    filter: ofLevel('grid'),
    paint: {
      'fill-color': ['interpolate', ['linear'], load, ...loadStops.flat()] as ExpressionSpecification,
      'fill-opacity': ['case', focused, 0.85, inArea, 0.62, 0.12],
    },
  }];
}

const urgency: ExpressionSpecification = ['get', 'urgency'];
const urgencyColour = matchBy(urgency, Object.entries(timeLeftColours).filter(([u]) => u !== 'none'), timeLeftColours.none);

/** Live request markers: a halo when overdue, a ring that pulses on arrival, the dot by time left. */
export function layersLive(source: string): LayerSpecification[] {
  const pulse: ExpressionSpecification = ['coalesce', ['feature-state', 'pulse'], -1];
  return [
    {
      id: 'live-overdue-halo',
      type: 'circle',
      source,
      filter: ['==', urgency, 'overdue'],
      paint: {
        'circle-color': timeLeftColours.overdue,
        'circle-opacity': 0.28,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 16, 17, 30],
        'circle-blur': 0.35,
      },
    },
    {
      // feature-state `pulse` runs 0 → 1 during the pulse; -1 (no state) hides the ring
      id: 'live-pulse',
      type: 'circle',
      source,
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': urgencyColour,
        'circle-stroke-width': 4,
        'circle-stroke-opacity': ['case', ['<', pulse, 0], 0, ['-', 1, pulse]],
        'circle-radius': ['case', ['<', pulse, 0], 0, ['+', 10, ['*', pulse, 46]]],
      },
    },
    {
      id: 'live-markers',
      type: 'circle',
      source,
      paint: {
        'circle-color': urgencyColour,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 7, 17, 12],
        'circle-stroke-color': ui.onColour,
        'circle-stroke-width': 2.5,
      },
    },
  ];
}

// ---------------------------------------------------------------- what the wall sets

/** The open requests as markers; each feature's `ticket` is its id (promoteId), its `urgency` its colour. */
export function setLiveMarkers(map: MapLibreMap, markers: FeatureCollection<Point>): void {
  map.getSource<GeoJSONSource>(LIVE_SOURCE)?.setData(markers);
}

/** The arrival ring of a marker, 0 → 1 while it runs; null takes it away. */
export function pulseMarker(map: MapLibreMap, ticket: string, phase: number | null): void {
  const id = { source: LIVE_SOURCE, id: ticket };
  if (phase === null) map.removeFeatureState(id, 'pulse');
  else map.setFeatureState(id, { pulse: phase });
}

/** Tickets of the markers drawn now (for tests: drawn, not only counted). */
export function renderedTickets(map: MapLibreMap): string[] {
  return map.queryRenderedFeatures({ layers: ['live-markers'] }).map((f) => String(f.properties.ticket));
}

/**
 * Where a screen whose units are streets draws its grids' outlines from: across a whole county a
 * grid is a few pixels wide, and their 4,096 outlines were the dearest part of its frame (≈ 40 % of
 * it drawn in software, docs/scaling.md) for a mesh no one reads; from here on (the tour standing
 * on a street) a grid is some 25 px or more.
 */
export const STREET_SCREEN_GRID_MINZOOM = 12;

/** Which level the screen's units are: the load layer shades that level only. */
export function showUnitLevel(map: MapLibreMap, level: UnitLevel): void {
  map.setFilter(unitsLayer, ofLevel(level));
  map.setLayerZoomRange(GRIDS_LINE, level === 'street' ? STREET_SCREEN_GRID_MINZOOM : 0, 24);
}

/** A unit of the screen's area with its open load 0–1 (/api/stats). */
export function shadeUnit(map: MapLibreMap, unitId: string, unitLoad: number): void {
  map.setFeatureState({ source: TILES_SOURCE, sourceLayer: 'areas', id: unitId }, { load: unitLoad, inArea: true });
}

/** The unit the tour stands on: lit fill, thick yellow outline. */
export function focusUnit(map: MapLibreMap, unitId: string, focus: boolean): void {
  map.setFeatureState({ source: TILES_SOURCE, sourceLayer: 'areas', id: unitId }, { focus });
}
