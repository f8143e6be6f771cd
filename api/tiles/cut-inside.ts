import { LINE, MULTI_POINT, MULTI_POLYGON, POINT, POLYGON, type LayerFeatures } from './features.ts';
import type { FlatFeature } from './encode.ts';

/**
 * The features of a layer inside a tile's buffer (`which`, their numbers in the layer), cut for
 * the tile (z, x, y) straight from the packed vertices: what geojson-vt's geoJSONToTile gives for
 * them (createTile, then transformTile: no clip, as none reaches the buffer's edge), step for step,
 * without building GeoJSON, geojson-vt's features or a pair of numbers per vertex. `extent` and
 * `maxZoom` are geojson-vt's options; its tolerance is 2 (tile-index.ts cutOptions).
 */
export function cutInside(layer: LayerFeatures, which: number[], z: number, x: number, y: number, extent: number, maxZoom: number): FlatFeature[] {
  const tolerance = z === maxZoom ? 0 : 2 / ((1 << z) * extent);
  const at = { z2: 1 << z, x, y, extent };
  const cut: FlatFeature[] = [];
  for (const i of which) {
    const type = layer.types[i];
    const rings: number[][] = [];
    if (type === POINT || type === MULTI_POINT) {
      const ring: number[] = [];
      for (let v = layer.starts[layer.rings[i]]; v < layer.starts[layer.rings[i + 1]]; v++) ring.push(layer.points[v * 3], layer.points[v * 3 + 1]);
      if (ring.length) rings.push(transform(ring, at));
    } else {
      const isPolygon = type === POLYGON || type === MULTI_POLYGON;
      for (let r = layer.rings[i]; r < layer.rings[i + 1]; r++) {
        const ring = addLine(layer, r, tolerance, isPolygon, type === LINE ? false : layer.outer[r] === 1);
        if (ring) rings.push(transform(ring, at));
      }
    }
    if (!rings.length) continue;
    cut.push({ id: layer.ids[i], type: type === POINT || type === MULTI_POINT ? 1 : isPolygonType(type) ? 3 : 2, tags: layer.properties[i] || null, rings });
  }
  return cut;
}

const isPolygonType = (type: number) => type === POLYGON || type === MULTI_POLYGON;

/** geojson-vt's addLine (tile.ts): the ring's vertices kept at this tolerance, polygons wound its way; null if too small to draw. */
function addLine({ starts, sizes, points }: LayerFeatures, r: number, tolerance: number, isPolygon: boolean, isOuter: boolean): number[] | null {
  const sqTolerance = tolerance * tolerance;
  if (tolerance > 0 && sizes[r] < (isPolygon ? sqTolerance : tolerance)) return null;
  const ring: number[] = [];
  for (let v = starts[r]; v < starts[r + 1]; v++) {
    if (tolerance === 0 || points[v * 3 + 2] > sqTolerance) ring.push(points[v * 3], points[v * 3 + 1]);
  }
  if (isPolygon) rewind(ring, isOuter);
  return ring;
}

function rewind(ring: number[], clockwise: boolean) {
  let area = 0;
  for (let i = 0, len = ring.length, j = len - 2; i < len; j = i, i += 2) area += (ring[i] - ring[j]) * (ring[i + 1] + ring[j + 1]);
  if (area > 0 !== clockwise) return;
  for (let i = 0, len = ring.length; i < len / 2; i += 2) {
    const px = ring[i];
    const py = ring[i + 1];
    ring[i] = ring[len - 2 - i];
    ring[i + 1] = ring[len - 1 - i];
    ring[len - 2 - i] = px;
    ring[len - 1 - i] = py;
  }
}

/** geojson-vt's transformPoint (transform.ts) over a ring, in place: the unit square to the tile's integer units. */
function transform(ring: number[], { z2, x, y, extent }: { z2: number; x: number; y: number; extent: number }) {
  for (let i = 0; i < ring.length; i += 2) {
    ring[i] = Math.round(extent * (ring[i] * z2 - x));
    ring[i + 1] = Math.round(extent * (ring[i + 1] * z2 - y));
  }
  return ring;
}
