import type { ExpressionSpecification, FilterSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import { circleColours, missingShades } from '../colours.ts';
import { CIRCLE_SOURCE } from './sources.ts';

// The 15-minute circle's buildings (GET /api/circle/buildings.geojson), shaded by how many everyday
// services they miss within a walk; the buildings missing one chosen service are outlined.

const missingColour: ExpressionSpecification = [
  'step', ['coalesce', ['get', 'missingCount'], 0],
  missingShades[0], 1, missingShades[1], 2, missingShades[2], 3, missingShades[3], 4, missingShades[4],
];

const noGap: FilterSpecification = ['==', ['get', 'id'], ''];

export function layersCircle(source: string): LayerSpecification[] {
  return [
    { id: 'circle-fill', type: 'fill', source, paint: { 'fill-color': missingColour, 'fill-opacity': 0.95 } },
    { id: 'circle-outline', type: 'line', source, paint: { 'line-color': circleColours.outline, 'line-width': 0.6 } },
    { id: 'circle-gap', type: 'line', source, filter: noGap, paint: { 'line-color': circleColours.gap, 'line-width': 3 } },
  ];
}

// ---------------------------------------------------------------- what the circle page sets

/** The shaded buildings: a URL MapLibre fetches itself, or the features. */
export function setCircleBuildings(map: MapLibreMap, data: string | GeoJSON.FeatureCollection): void {
  map.getSource<GeoJSONSource>(CIRCLE_SOURCE)?.setData(data);
}

/** Outlines the buildings that miss this service-point category; null outlines none. */
export function showGap(map: MapLibreMap, category: string | null): void {
  map.setFilter('circle-gap', category ? ['in', category, ['get', 'missing']] : noGap);
}

export type ShadedBuilding = { number?: string; compoundName?: string; missing: string[] };

/** The shaded building under a screen point, or null. */
export function circleBuildingAt(map: MapLibreMap, point: PointLike): ShadedBuilding | null {
  const properties = map.queryRenderedFeatures(point, { layers: ['circle-fill'] })[0]?.properties;
  if (!properties) return null;
  // MapLibre hands nested GeoJSON properties back as JSON text
  const missing = typeof properties.missing === 'string' ? JSON.parse(properties.missing) : properties.missing ?? [];
  return { number: properties.number, compoundName: properties.compoundName, missing };
}
