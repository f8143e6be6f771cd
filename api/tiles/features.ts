import type { Feature, Geometry } from 'geojson';

/**
 * One layer's features over a block, parsed and projected once, in a few typed arrays rather than
 * a tree of objects (a block of 7,000 buildings is 35,000 vertices: as GeoJSON arrays, parsed again
 * for every tile, they were most of a cold tile's garbage).
 *
 * Each vertex is three numbers in `points`, as geojson-vt's convert step makes them: x and y in its
 * unit square (its spherical mercator, the same arithmetic) and the square distance at which its
 * Douglas–Peucker simplification would drop it (its `importance`; the ends of a ring 1). Feature
 * i's rings are `rings[i]` … `rings[i + 1] - 1`; ring r's vertices start at `starts[r]` (in
 * vertices), its `sizes[r]` is its area (polygons) or length (lines) in the unit square, and
 * `outer[r]` is 1 when it begins a polygon. Boxes are in degrees, as the blocks are read.
 */
export type LayerFeatures = {
  /** west, south, east, north of each feature, degrees */
  boxes: Float64Array;
  types: Uint8Array;
  rings: Uint32Array;
  starts: Uint32Array;
  sizes: Float64Array;
  outer: Uint8Array;
  points: Float64Array;
  properties: Record<string, unknown>[];
  ids: number[];
  /** roughly what the layer holds, for the block LRU */
  bytes: number;
};

export type FeatureRow = { id: number; geometry: Geometry; properties: Record<string, unknown>; box: [number, number, number, number] };

/** The geometry types of the tile layers' columns (and of ST_PointOnSurface), in `types`' numbering. */
export const geometryTypes = ['Point', 'LineString', 'MultiPolygon', 'Polygon', 'MultiPoint', 'MultiLineString'] as const;
type GeometryType = (typeof geometryTypes)[number];
const [POINT, LINE, MULTI_POLYGON, POLYGON, MULTI_POINT] = [0, 1, 2, 3, 4];

// geojson-vt's options (tile-index.ts cutOptions): the importance is the one its convert step gives at maxZoom 16
const sqTolerance = (2 / ((1 << 16) * 4096)) ** 2;

/** The rings of a geometry, each with whether it begins a polygon; points and multipoints as one ring. */
function ringsOf(g: Geometry): [number[][], boolean][] {
  switch (g.type) {
    case 'Point': return [[[g.coordinates], true]];
    case 'MultiPoint': case 'LineString': return [[g.coordinates, true]];
    case 'Polygon': case 'MultiLineString': return g.coordinates.map((ring, i) => [ring, g.type === 'Polygon' ? i === 0 : true]);
    case 'MultiPolygon': return g.coordinates.flatMap((polygon) => polygon.map((ring, i): [number[][], boolean] => [ring, i === 0]));
    default: throw new Error(`a tile layer holds a ${g.type}: only ${geometryTypes.join(', ')} are cut`);
  }
}

/** The features packed: their vertices projected and ranked for simplification as geojson-vt's convert does it. */
export function packFeatures(rows: FeatureRow[]): LayerFeatures {
  const ringLists = rows.map((r) => ringsOf(r.geometry));
  const ringCount = ringLists.reduce((sum, rings) => sum + rings.length, 0);
  const vertexCount = ringLists.reduce((sum, rings) => rings.reduce((s, [ring]) => s + ring.length, sum), 0);
  const layer: LayerFeatures = {
    boxes: new Float64Array(rows.length * 4), types: new Uint8Array(rows.length), rings: new Uint32Array(rows.length + 1),
    starts: new Uint32Array(ringCount + 1), sizes: new Float64Array(ringCount), outer: new Uint8Array(ringCount),
    points: new Float64Array(vertexCount * 3), properties: [], ids: [], bytes: 0,
  };
  let r = 0;
  let v = 0;
  rows.forEach((row, i) => {
    layer.boxes.set(row.box, i * 4);
    const type = geometryTypes.indexOf(row.geometry.type as GeometryType);
    layer.types[i] = type;
    layer.rings[i] = r;
    for (const [ring, outer] of ringLists[i]) {
      layer.starts[r] = v;
      layer.outer[r] = outer ? 1 : 0;
      layer.sizes[r] = convertRing(ring, layer.points, v * 3, type === MULTI_POLYGON || type === POLYGON, type !== POINT && type !== MULTI_POINT);
      v += ring.length;
      r++;
    }
    layer.properties.push(row.properties);
    layer.ids.push(row.id);
  });
  layer.rings[rows.length] = r;
  layer.starts[r] = v;
  // the arrays, and roughly what a feature's properties and id take
  layer.bytes = layer.points.byteLength + ringCount * 17 + rows.length * (32 + 1 + 4 + 64);
  return layer;
}

/**
 * geojson-vt's convertLine (convert.ts) into `points` from `at`: projected vertices, the ring's
 * area or length, and (`simplified`: lines and polygons) each vertex's importance.
 */
function convertRing(ring: number[][], points: Float64Array, at: number, isPolygon: boolean, simplified: boolean): number {
  let x0 = 0;
  let y0 = 0;
  let size = 0;
  for (let j = 0; j < ring.length; j++) {
    const x = projectX(ring[j][0]);
    const y = projectY(ring[j][1]);
    points[at + j * 3] = x;
    points[at + j * 3 + 1] = y;
    points[at + j * 3 + 2] = 0;
    if (j > 0) size += isPolygon ? (x0 * y - x * y0) / 2 : Math.sqrt(Math.pow(x - x0, 2) + Math.pow(y - y0, 2));
    x0 = x;
    y0 = y;
  }
  if (!simplified) return 0;
  const last = at + (ring.length - 1) * 3;
  points[at + 2] = 1;
  simplify(points, at, last, sqTolerance);
  points[last + 2] = 1;
  return Math.abs(size);
}

// geojson-vt's spherical mercator to its unit square (world-coordinate-helper.ts), the same arithmetic
const projectX = (lng: number) => lng / 360 + 0.5;
function projectY(lat: number) {
  const sin = Math.sin(lat * Math.PI / 180);
  const y = 0.5 - 0.25 * Math.log((1 + sin) / (1 - sin)) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** geojson-vt's simplify (simplify.ts): each vertex's importance, Douglas–Peucker with the pivot nearest the middle on ties. */
function simplify(coords: Float64Array, first: number, last: number, sqTol: number) {
  const stack = [first, last];
  while (stack.length) {
    last = stack.pop()!;
    first = stack.pop()!;
    let maxSqDist = sqTol;
    const mid = first + ((last - first) >> 1);
    let minPosToMid = last - first;
    let index = -1;
    const ax = coords[first], ay = coords[first + 1], bx = coords[last], by = coords[last + 1];
    for (let i = first + 3; i < last; i += 3) {
      const d = sqSegDist(coords[i], coords[i + 1], ax, ay, bx, by);
      if (d > maxSqDist) {
        index = i;
        maxSqDist = d;
      } else if (d === maxSqDist) {
        const posToMid = Math.abs(i - mid);
        if (posToMid < minPosToMid) {
          index = i;
          minPosToMid = posToMid;
        }
      }
    }
    if (maxSqDist > sqTol) {
      coords[index + 2] = maxSqDist;
      if (index - first > 3) stack.push(first, index);
      if (last - index > 3) stack.push(index, last);
    }
  }
}

function sqSegDist(px: number, py: number, x: number, y: number, bx: number, by: number) {
  let dx = bx - x;
  let dy = by - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/** Feature i as GeoJSON in the unit square (geojson-vt's `coordinates: 'unitSquare'`), for an index that clips it. */
export function featureOf(layer: LayerFeatures, i: number): Feature {
  const { types, rings, starts, outer, points } = layer;
  const ring = (r: number) => {
    const positions: number[][] = [];
    for (let v = starts[r]; v < starts[r + 1]; v++) positions.push([points[v * 3], points[v * 3 + 1]]);
    return positions;
  };
  const all: number[][][] = [];
  for (let r = rings[i]; r < rings[i + 1]; r++) all.push(ring(r));
  const type = geometryTypes[types[i]];
  let coordinates: unknown;
  if (type === 'Point') coordinates = all[0][0];
  else if (type === 'LineString' || type === 'MultiPoint') coordinates = all[0];
  else if (type === 'Polygon' || type === 'MultiLineString') coordinates = all;
  else {
    const polygons: number[][][][] = [];
    all.forEach((positions, k) => outer[rings[i] + k] ? polygons.push([positions]) : polygons[polygons.length - 1].push(positions));
    coordinates = polygons;
  }
  return { type: 'Feature', id: layer.ids[i], geometry: { type, coordinates } as Geometry, properties: layer.properties[i] };
}

export { LINE, MULTI_POLYGON, POINT, POLYGON, MULTI_POINT };
