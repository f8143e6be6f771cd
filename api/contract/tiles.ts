import type { AreaLevel } from './vocabulary.ts';

// What the vector tiles carry at a zoom (api/tiles/tile-index.ts): nothing a map style does not
// draw there. A county's zoom-10 tile held its 98,000 buildings — 5 MB cut in 4.6 s, for a map
// that draws buildings from zoom 14. The styles (web/src/lib/ui/map) draw each layer from these
// zooms or later; web/src/lib/ui/map/style.test.ts checks every style against this table.

/**
 * The lowest zoom at which a tile layer is cut; a layer not named is cut at every zoom. Tiles stop
 * at z16 and the browser overzooms them: unit entrances and compound gates, drawn from z17, are cut
 * into the z16 tiles (at 17 they were in no tile at all, and never drawn).
 */
export const tileLayerMinZoom: Partial<Record<string, number>> = {
  buildings: 14, compounds: 14, pois: 14, entrances: 16, gates: 16,
};

/** Areas (outlines, and their labels) of a level from a zoom: micro-grids only up close. */
export const areaMinZoom: Partial<Record<AreaLevel, number>> = { microgrid: 15 };
export const areaLabelMinZoom: Partial<Record<AreaLevel, number>> = { microgrid: 16, grid: 12 };
