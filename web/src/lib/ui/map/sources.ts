import type { GeoJSONSourceSpecification, VectorSourceSpecification } from 'maplibre-gl';

// The map's sources: our vector tiles (basemap, areas, service points), and the GeoJSON sources
// a theme's page fills through the setters beside its layers.

export const TILES_SOURCE = 'gridmap';
export const REQUESTS_SOURCE = 'requests';
/** counts per area when the view is too full for markers (issue 12 §2) */
export const REQUEST_AREAS_SOURCE = 'request-areas';
export const LIVE_SOURCE = 'live';
export const CIRCLE_SOURCE = 'circle';
export const PIN_SOURCE = 'pin';
export const SPOTS_SOURCE = 'spots';
/** the pin theme's walking path (the worker's way to a request, issue 10) */
export const WALK_SOURCE = 'walk';

/** What the style needs of the TileJSON (`/api/tiles.json`): the tile URLs, their zooms and where there are any. */
export type TileSet = { tiles: string[]; minzoom?: number; maxzoom?: number; bounds?: [number, number, number, number] };

/**
 * Our vector tiles, from the TileJSON the page has already read (given inline, MapLibre does not
 * fetch it again); features are keyed by their `id` for feature-state.
 */
export const tilesSource = ({ tiles, minzoom, maxzoom, bounds }: TileSet): VectorSourceSpecification =>
  ({ type: 'vector', tiles, minzoom, maxzoom, ...(bounds && { bounds }), promoteId: 'id' });

/** An empty GeoJSON source, filled by the page once the map has loaded. */
export const emptySource = (promoteId?: string): GeoJSONSourceSpecification => ({
  type: 'geojson',
  data: { type: 'FeatureCollection', features: [] },
  ...(promoteId && { promoteId }),
});
