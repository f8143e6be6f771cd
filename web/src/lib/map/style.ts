import type { FontFacesSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { basemapColors } from './theme.ts';
import { fontNames, type Fonts } from './fonts-spec.ts';
import { layersBasemapLabels, layersBuildings, layersLanduse, layersRoads } from './layers-basemap.ts';
import { layersAreaFills, layersAreaLabels, layersAreaLines } from './layers-areas.ts';
import { layersPois, layersRequests } from './layers-points.ts';

export const TILES_SOURCE = 'gridmap';
export const REQUESTS_SOURCE = 'requests';

export type GridMapStyleOptions = {
  /** Absolute URL of our TileJSON (`/api/tiles.json`): the basemap and the grid layers. */
  tilesUrl: string;
  /** Font files for `text-font` names (see fonts.ts); without them MapLibre falls back to local fonts. */
  fontFaces?: FontFacesSpecification;
  /** Requests shown at first; the map updates the source as they change. */
  requests?: FeatureCollection;
  fonts?: Fonts;
};

/**
 * The grid map style. Deliberately no `glyphs` and no `sprite`: every request stays on our
 * origin (text is drawn from `font-faces`, icons are made in the browser, see icons.ts).
 */
export function gridMapStyle(options: GridMapStyleOptions): StyleSpecification {
  const fonts = options.fonts ?? fontNames;
  const style: StyleSpecification = {
    version: 8,
    name: 'grid-map',
    sources: {
      [TILES_SOURCE]: { type: 'vector', url: options.tilesUrl, promoteId: 'id' },
      [REQUESTS_SOURCE]: {
        type: 'geojson',
        data: options.requests ?? { type: 'FeatureCollection', features: [] },
        promoteId: 'id',
      },
    },
    layers: [
      ...layersBackground(),
      ...layersLanduse(TILES_SOURCE),
      ...layersAreaFills(TILES_SOURCE),
      ...layersRoads(TILES_SOURCE),
      ...layersBuildings(TILES_SOURCE),
      ...layersAreaLines(TILES_SOURCE),
      ...layersBasemapLabels(TILES_SOURCE, fonts),
      ...layersAreaLabels(TILES_SOURCE, fonts),
      ...layersPois(TILES_SOURCE, fonts),
      ...layersRequests(REQUESTS_SOURCE),
    ],
  };
  if (options.fontFaces) style['font-faces'] = options.fontFaces;
  return style;
}

function layersBackground(): LayerSpecification[] {
  return [{ id: 'background', type: 'background', paint: { 'background-color': basemapColors.background } }];
}

/** Ids of the layers a toggle in the panel shows or hides (set in each layer's `metadata.group`). */
export function layerIdsOfGroup(style: StyleSpecification, group: string): string[] {
  return style.layers
    .filter((layer) => (layer.metadata as { group?: string } | undefined)?.group === group)
    .map((layer) => layer.id);
}
