import type { FontFacesSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Theme } from './theme.ts';
import { CIRCLE_SOURCE, emptySource, LIVE_SOURCE, PIN_SOURCE, REQUEST_AREAS_SOURCE, REQUESTS_SOURCE, SPOTS_SOURCE, TILES_SOURCE, tilesSource, WALK_SOURCE, type TileSet } from './sources.ts';
import { layersBackground, layersBasemapLabels, layersBuildings, layersLanduse, layersRoads } from './layers-basemap.ts';
import { layersAreaFills, layersAreaLabels, layersAreaLines } from './layers-areas.ts';
import { layersPois, layersRequestAreas, layersRequests } from './layers-points.ts';
import { layersUnitLoad, layersLive } from './layers-wall.ts';
import { layersCircle } from './layers-circle.ts';
import { layersPin, layersSpots, layersWalk } from './layers-pin.ts';

export type MapStyleOptions = {
  /** Our TileJSON (`/api/tiles.json`) as read by the page: the basemap, the areas, the service points. */
  tiles: TileSet;
  /** Font files for the `text-font` names (see fonts.ts); without them MapLibre falls back to local fonts. */
  fontFaces?: FontFacesSpecification;
};

type Composition = { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] };

/** Land, grid fills, roads, buildings and area lines, bottom up: what every theme stands on. */
const ground = (theme: Theme, fills: LayerSpecification[] = layersAreaFills(TILES_SOURCE, theme)) => [
  ...layersBackground(theme),
  ...layersLanduse(TILES_SOURCE, theme),
  ...fills,
  ...layersRoads(TILES_SOURCE, theme),
  ...layersBuildings(TILES_SOURCE, theme),
  ...layersAreaLines(TILES_SOURCE, theme),
];
const labels = (theme: Theme) => [...layersBasemapLabels(TILES_SOURCE, theme), ...layersAreaLabels(TILES_SOURCE, theme)];

/** Each theme's own sources and its layers, bottom up; a page fills the sources through the setters beside the layers. */
const compositions: Record<Theme, () => Composition> = {
  day: () => ({
    sources: { [REQUESTS_SOURCE]: emptySource('id'), [REQUEST_AREAS_SOURCE]: emptySource('id') },
    // the community names above the request markers: a community's many requests sit around its
    // middle, where its name is, and drawn below them the name disappeared under the dots
    layers: [
      ...ground('day'), ...labels('day').filter((l) => l.id !== 'communities-label'), ...layersPois(TILES_SOURCE, 'day'),
      ...layersRequests(REQUESTS_SOURCE), ...layersRequestAreas(REQUEST_AREAS_SOURCE), ...labels('day').filter((l) => l.id === 'communities-label'),
    ],
  }),
  wall: () => ({
    // a district's screen counts per street (REQUEST_AREAS_SOURCE) where a street's shows markers
    sources: { [LIVE_SOURCE]: emptySource('ticket'), [REQUEST_AREAS_SOURCE]: emptySource('id') },
    layers: [
      ...ground('wall', layersUnitLoad(TILES_SOURCE)), ...labels('wall'), ...layersPois(TILES_SOURCE, 'wall'),
      ...layersRequestAreas(REQUEST_AREAS_SOURCE, 1.8), ...layersLive(LIVE_SOURCE),
    ],
  }),
  circle: () => ({
    // the shading goes under the labels, above the basemap's own buildings
    sources: { [CIRCLE_SOURCE]: emptySource() },
    layers: [...ground('circle'), ...layersCircle(CIRCLE_SOURCE), ...labels('circle'), ...layersPois(TILES_SOURCE, 'circle')],
  }),
  pin: () => ({
    sources: { [WALK_SOURCE]: emptySource(), [SPOTS_SOURCE]: emptySource(), [PIN_SOURCE]: emptySource() },
    layers: [
      ...ground('pin'), ...layersWalk(WALK_SOURCE), ...labels('pin'), ...layersPois(TILES_SOURCE, 'pin'), ...layersSpots(SPOTS_SOURCE), ...layersPin(PIN_SOURCE),
    ],
  }),
};

/**
 * The map style of a theme. Deliberately no `glyphs` and no `sprite`: every request stays on our
 * origin (text is drawn from `font-faces`, icons are made in the browser, see icons.ts).
 */
export function mapStyle(theme: Theme, options: MapStyleOptions): StyleSpecification {
  const { sources, layers } = compositions[theme]();
  return {
    version: 8,
    name: `grid-map-${theme}`,
    sources: { [TILES_SOURCE]: tilesSource(options.tiles), ...sources },
    layers,
    ...(options.fontFaces && { 'font-faces': options.fontFaces }),
  };
}
