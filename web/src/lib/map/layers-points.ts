import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { closedStatuses, requestStatusColors, poiStyles, poiFallback } from './theme.ts';
import type { Fonts } from './fonts-spec.ts';
import { matchBy } from './expressions.ts';

// Service points (from the `pois` tile layer) and live requests (a GeoJSON source).

export const POI_ICON_PREFIX = 'poi-';
export const POI_MINZOOM = 14;

const poiGlyph = matchBy(
  ['get', 'category'],
  Object.entries(poiStyles).map(([category, s]): [string, string] => [category, s.glyph]),
  poiFallback.glyph,
);

export function layersPois(source: string, fonts: Fonts): LayerSpecification[] {
  const base = { source, 'source-layer': 'pois', type: 'symbol', minzoom: POI_MINZOOM, metadata: { group: 'pois' } } as const;
  return [
    {
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
      paint: { 'text-color': '#ffffff' },
    },
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
      paint: { 'text-color': '#303030', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
  ];
}

const statusColor = matchBy(['get', 'status'], Object.entries(requestStatusColors), '#777777');

export const isClosedRequest: ExpressionSpecification = ['in', ['get', 'status'], ['literal', closedStatuses]];

export function layersRequests(source: string): LayerSpecification[] {
  const base = { source, type: 'circle', metadata: { group: 'requests' } } as const;
  return [
    {
      // a soft ring that makes new, unclaimed requests stand out on the wall screen
      ...base,
      id: 'requests-halo',
      filter: ['==', ['get', 'status'], 'collected'],
      paint: {
        'circle-color': requestStatusColors.collected,
        'circle-opacity': 0.25,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 8, 17, 16],
      },
    },
    {
      ...base,
      id: 'requests',
      filter: ['!', isClosedRequest],
      paint: {
        'circle-color': statusColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 17, 7.5],
        'circle-opacity': ['case', isClosedRequest, 0.45, 1],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 17, 2],
        'circle-stroke-opacity': ['case', isClosedRequest, 0.45, 1],
      },
    },
  ];
}
