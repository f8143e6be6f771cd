import type * as maplibregl from 'maplibre-gl';
import {
  TerraDraw, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawSelectMode, ValidateNotSelfIntersecting,
  type GeoJSONStoreFeatures, type HexColor,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { ui } from '../ui/colours.ts';

// The drawing half of the console's map editing (MapEditSection.svelte), loaded with `import()` only
// when an edit starts: terra-draw is bundled by Vite into its own chunk, so no other page carries it.
// One feature at a time in terra-draw's select mode: a point dragged whole, or an outline's corners
// dragged (midpoints add corners, a right-click removes one), refused while the ring crosses itself.

let nextId = 0;

export class MapEditor {
  #draw: TerraDraw;
  #id: string;

  /** Makes `geometry` editable on `map`; `onChange` after each drag. */
  constructor(map: maplibregl.Map, geometry: GeoJSON.Point | GeoJSON.Polygon, onChange: () => void) {
    const colour = ui.primary as HexColor;
    this.#draw = new TerraDraw({
      // coordinates as stored (ST_AsGeoJSON(geom, 15)): a corner not dragged goes back unchanged, so a
      // border shared with a neighbour stays exactly shared where it was not moved
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 15 }),
      idStrategy: { isValidId: (id) => typeof id === 'string', getId: () => `edit-${++nextId}` },
      modes: [
        new TerraDrawSelectMode({
          flags: {
            polygon: {
              feature: {
                draggable: false,
                coordinates: { draggable: true, midpoints: true, deletable: true },
                validation: (feature) => ValidateNotSelfIntersecting(feature),
              },
            },
            point: { feature: { draggable: true } },
          },
          styles: {
            selectedPolygonColor: colour, selectedPolygonOutlineColor: colour, selectedPolygonFillOpacity: 0.15,
            selectionPointColor: colour, selectionPointWidth: 6, selectedPointColor: colour, selectedPointWidth: 9,
            midPointColor: colour, midPointOpacity: 0.5,
          },
        }),
        // registered so the store accepts a polygon and a point; never switched to (nothing new is drawn)
        new TerraDrawPolygonMode({ styles: { fillColor: colour, outlineColor: colour } }),
        new TerraDrawPointMode({ styles: { pointColor: colour, pointWidth: 9 } }),
      ],
    });
    this.#draw.start();
    this.#id = `edit-${++nextId}`;
    const feature = { id: this.#id, type: 'Feature', geometry, properties: { mode: geometry.type === 'Point' ? 'point' : 'polygon' } } as GeoJSONStoreFeatures;
    const [result] = this.#draw.addFeatures([feature]);
    if (!result.valid) throw new Error(`the shape cannot be edited here: ${result.reason ?? 'not valid'}`);
    this.#draw.setMode('select');
    this.#draw.selectFeature(this.#id);
    this.#draw.on('change', (ids, type) => { if (type === 'update' && ids.includes(this.#id)) onChange(); });
  }

  /** The shape as it is now. */
  geometry(): GeoJSON.Point | GeoJSON.Polygon {
    return this.#draw.getSnapshotFeature(this.#id)!.geometry as GeoJSON.Point | GeoJSON.Polygon;
  }

  /** Selects the feature again (a click beside it deselects it). */
  reselect() {
    this.#draw.selectFeature(this.#id);
  }

  stop() {
    this.#draw.stop();
  }
}
