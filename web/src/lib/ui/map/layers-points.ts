import type { ExpressionSpecification, FilterSpecification, LayerSpecification, Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { requestStatuses, transitions } from '../../../../../api/contract/vocabulary.ts';
import { statusColours, timeLeftColours, ui } from '../colours.ts';
import { poiMarks, unknownPoiMark } from '../poi-marks.ts';
import { coloursOf, type Theme } from './theme.ts';
import { fontNames as fonts } from './fonts-spec.ts';
import { matchBy } from './expressions.ts';
import { layersOfGroup } from './groups.ts';
import { REQUEST_AREAS_SOURCE, REQUESTS_SOURCE } from './sources.ts';

// Service points (from the `pois` tile layer) and requests (a GeoJSON source the page fills).

export const POI_ICON_PREFIX = 'poi-';
export const POI_MINZOOM = 14;

const poiGlyph = matchBy(
  ['get', 'category'],
  Object.entries(poiMarks).map(([category, mark]): [string, string] => [category, mark.glyph]),
  unknownPoiMark.glyph,
);

/** Service points as their marks, named from z15.5; on the wall, dimmed and unnamed: the requests are the news there. */
export function layersPois(source: string, theme: Theme): LayerSpecification[] {
  const wall = theme === 'wall';
  const base = { source, 'source-layer': 'pois', type: 'symbol', minzoom: POI_MINZOOM, metadata: { group: 'pois' } } as const;
  const icon: LayerSpecification = {
    // the icon is a coloured disc (made in icons.ts) with the category's character drawn on it
    ...base,
    id: 'pois-icon',
    layout: {
      'icon-image': ['concat', POI_ICON_PREFIX, ['get', 'category']],
      'icon-size': ['interpolate', ['linear'], ['zoom'], 14, 0.7, 17, 1],
      'icon-allow-overlap': true,
      'text-field': poiGlyph,
      'text-font': fonts.bold,
      'text-size': ['interpolate', ['linear'], ['zoom'], 14, 9.5, 17, 13],
      'text-allow-overlap': true,
      'symbol-sort-key': ['match', ['get', 'category'], 'party_service_centre', 0, 'rider_station', 1, 'clinic', 2, 10],
    },
    paint: { 'text-color': ui.onColour, ...(wall && { 'icon-opacity': 0.55, 'text-opacity': 0.55 }) },
  };
  if (wall) return [icon];
  const c = coloursOf(theme);
  return [
    icon,
    {
      ...base,
      id: 'pois-label',
      minzoom: 15.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fonts.regular,
        'text-size': 12,
        'text-max-width': 9,
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
        'text-radial-offset': 1.3,
        'text-justify': 'auto',
      },
      paint: { 'text-color': c.poiLabel, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
  ];
}

/** Statuses a request ends in (no move out of them): drawn faint, hidden unless the user asks for them. */
export const finishedStatuses = requestStatuses.filter((status) => transitions[status].length === 0);

const statusColour = matchBy(['get', 'status'], Object.entries(statusColours), ui.muted);
const isFinished: ExpressionSpecification = ['in', ['get', 'status'], ['literal', finishedStatuses]];

export function layersRequests(source: string): LayerSpecification[] {
  const base = { source, type: 'circle', metadata: { group: 'requests' } } as const;
  return [
    {
      // a soft ring that makes new, unclaimed requests stand out
      ...base,
      id: 'requests-halo',
      filter: ['==', ['get', 'status'], 'collected'],
      paint: {
        'circle-color': statusColours.collected,
        'circle-opacity': 0.25,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 8, 17, 16],
      },
    },
    {
      ...base,
      id: 'requests',
      filter: ['!', isFinished],
      paint: {
        'circle-color': statusColour,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 17, 7.5],
        'circle-opacity': ['case', isFinished, 0.45, 1],
        'circle-stroke-color': ui.onColour,
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 17, 2],
        'circle-stroke-opacity': ['case', isFinished, 0.45, 1],
      },
    },
  ];
}

// ---------------------------------------------------------------- what the day map's page sets

/** The request markers (the page's live collection, replaced whole). */
export function setRequests(map: MapLibreMap, requests: FeatureCollection<Point>): void {
  map.getSource<GeoJSONSource>(REQUESTS_SOURCE)?.setData(requests);
}

/** Finished requests (archived, rejected, duplicate) are hidden unless asked for. */
export function showFinishedRequests(map: MapLibreMap, show: boolean): void {
  map.setFilter('requests', show ? null : ['!', isFinished]);
}

/** Only service points of these categories. */
export function showPoiCategories(map: MapLibreMap, categories: readonly string[]): void {
  const filter: FilterSpecification = ['in', ['get', 'category'], ['literal', [...categories]]];
  for (const id of layersOfGroup(map, 'pois')) map.setFilter(id, filter);
}

// ---------------------------------------------------------------- counts per area (issue 12 §2)

/**
 * A view too full for markers: one disc per street, community or grid at its label point, sized by
 * its open requests and red when some are overdue, with the count written on it.
 */
export function layersRequestAreas(source: string, scale = 1): LayerSpecification[] {
  // areas with nothing to count draw nothing; the disc sits below the area's name (drawn at the same point)
  const base = { source, metadata: { group: 'requests' }, filter: ['>', ['+', ['get', 'open'], ['get', 'closed']], 0] as FilterSpecification } as const;
  const { below, size, textSize } = requestAreaSizes(scale);
  return [
    {
      ...base,
      id: 'request-areas',
      type: 'circle',
      paint: {
        'circle-color': ['case', ['>', ['get', 'overdue'], 0], timeLeftColours.overdue, statusColours.claimed],
        'circle-opacity': 0.85,
        'circle-radius': size,
        'circle-stroke-color': ui.onColour,
        'circle-stroke-width': 2,
        'circle-translate': below,
      },
    },
    {
      ...base,
      id: 'request-areas-count',
      type: 'symbol',
      layout: { 'text-field': ['to-string', ['get', 'open']], 'text-font': fonts.bold, 'text-size': textSize, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': ui.onColour, 'text-translate': below },
    },
  ];
}

/** The discs' sizes at a scale: 1 on the map page, 1.8 on a wall read from across a room. */
function requestAreaSizes(scale: number) {
  return {
    below: [0, 26 * scale] as [number, number], // px
    size: ['interpolate', ['linear'], ['sqrt', ['get', 'open']], 0, 12 * scale, 10, 20 * scale, 40, 34 * scale] as ExpressionSpecification,
    textSize: 13 * scale,
  };
}

/**
 * The discs sized anew, before their data comes: the wall opened on a phone's width takes the map
 * page's sizes, or a county's sixteen discs, sized for a wall, cover each other and the streets.
 */
export function scaleRequestAreas(map: MapLibreMap, scale: number): void {
  const { below, size, textSize } = requestAreaSizes(scale);
  map.setPaintProperty('request-areas', 'circle-radius', size);
  map.setPaintProperty('request-areas', 'circle-translate', below);
  map.setLayoutProperty('request-areas-count', 'text-size', textSize);
  map.setPaintProperty('request-areas-count', 'text-translate', below);
}

/** The counts per area (the page's view, replaced whole). */
export function setRequestAreas(map: MapLibreMap, areas: FeatureCollection<Point>): void {
  map.getSource<GeoJSONSource>(REQUEST_AREAS_SOURCE)?.setData(areas);
}
