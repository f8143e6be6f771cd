import type { MapGeoJSONFeature, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import type { Selected } from '../../map/selection.svelte.ts';

/** Layers a click can pick, most specific first: a marker beats the building it sits on, which beats its grid. */
const CLICKABLE: { layer: string; kind: Selected['kind'] }[] = [
  { layer: 'requests', kind: 'request' },
  { layer: 'pois-icon', kind: 'poi' },
  { layer: 'pois-label', kind: 'poi' },
  { layer: 'buildings', kind: 'building' },
  { layer: 'microgrids-fill', kind: 'area' },
  { layer: 'grids-fill', kind: 'area' },
];

const TOLERANCE = 6; // px around the pointer, so small markers are easy to hit with a finger

const clickableLayers = CLICKABLE.map((c) => c.layer);
const shownClickableLayers = (map: MapLibreMap) =>
  clickableLayers.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');

/** A hand over what a click would open. */
export function pointerOverClickable(map: MapLibreMap): void {
  map.on('mousemove', (event) => {
    const hit = map.queryRenderedFeatures(event.point, { layers: shownClickableLayers(map) }).length > 0;
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
  });
}

/** The feature under a screen point that should open a popup, or null. */
export function pickFeature(map: MapLibreMap, point: { x: number; y: number }): Selected | null {
  const box: [PointLike, PointLike] = [
    [point.x - TOLERANCE, point.y - TOLERANCE],
    [point.x + TOLERANCE, point.y + TOLERANCE],
  ];
  const features = map.queryRenderedFeatures(box, { layers: shownClickableLayers(map) });
  for (const { layer, kind } of CLICKABLE) {
    const feature = features.find((f) => f.layer.id === layer && isUnder(f, layer, map, point));
    if (feature) return toSelected(kind, feature);
  }
  return null;
}

/** Polygons must contain the point itself; the tolerance box is only for markers. */
function isUnder(feature: MapGeoJSONFeature, layer: string, map: MapLibreMap, point: { x: number; y: number }): boolean {
  if (feature.geometry.type === 'Point') return true;
  return map.queryRenderedFeatures([point.x, point.y], { layers: [layer] }).some((f) => f.id === feature.id);
}

function toSelected(kind: Selected['kind'], feature: MapGeoJSONFeature): Selected {
  const properties = { ...feature.properties, id: String(feature.properties.id ?? feature.id) } as never;
  switch (kind) {
    case 'area':
      return { kind, feature: properties, details: null };
    case 'poi':
      return { kind, feature: properties, details: null };
    default:
      return { kind, feature: properties } as Selected;
  }
}
