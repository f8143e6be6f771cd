import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';

// Layers the layer panel switches together carry their group in `metadata.group`: one toggle
// shows or hides a grid's fill, hatch, lines and label at once.

export const layerGroups = ['grids', 'microgrids', 'buildings', 'pois', 'requests'] as const;
export type LayerGroup = (typeof layerGroups)[number];

const groupOf = (layer: { metadata?: unknown } | undefined) => (layer?.metadata as { group?: string } | undefined)?.group;

/** Ids of a style's layers in a group. */
export function layerIdsOfGroup(style: StyleSpecification, group: LayerGroup): string[] {
  return style.layers.filter((layer) => groupOf(layer) === group).map((layer) => layer.id);
}

/** Ids of the layers of a group on a live map. */
export function layersOfGroup(map: MapLibreMap, group: LayerGroup): string[] {
  return map.getLayersOrder().filter((id) => groupOf(map.getLayer(id)) === group);
}

export function showGroup(map: MapLibreMap, group: LayerGroup, visible: boolean): void {
  for (const id of layersOfGroup(map, group)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}
