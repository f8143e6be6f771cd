/**
 * Point in (multi)polygon with the boundary counted as inside — ST_Covers for a point.
 * We follow PostGIS's own point-in-ring test (liblwgeom ptarray_contains_point and
 * lw_segment_side) operation for operation, so the same doubles give the same answer in
 * IEEE arithmetic: the bulk assigner must agree with the database to the last point.
 */
export const OUTSIDE = -1;
export const BOUNDARY = 0;
export const INSIDE = 1;

/** Flat ring: x0, y0, x1, y1, …, closed (last pair equals the first). */
export type FlatRing = Float64Array;

export function pointInRing(ring: FlatRing, x: number, y: number): number {
  let wn = 0;
  let x1 = ring[0];
  let y1 = ring[1];
  for (let i = 2; i < ring.length; i += 2) {
    const x2 = ring[i];
    const y2 = ring[i + 1];
    if (x1 === x2 && y1 === y2) continue; // zero-length segments are ignored
    const ymin = y1 < y2 ? y1 : y2;
    const ymax = y1 < y2 ? y2 : y1;
    if (y > ymax || y < ymin) {
      x1 = x2;
      y1 = y2;
      continue;
    }
    const side = Math.sign((x - x1) * (y2 - y1) - (x2 - x1) * (y - y1));
    if (side === 0 && inSegment(x, y, x1, y1, x2, y2)) return BOUNDARY;
    if (side < 0 && y1 <= y && y < y2) wn++;
    else if (side > 0 && y2 <= y && y < y1) wn--;
    x1 = x2;
    y1 = y2;
  }
  return wn === 0 ? OUTSIDE : INSIDE;
}

function inSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  return (x1 <= x && x < x2) || (x1 >= x && x > x2) || (y1 <= y && y < y2) || (y1 >= y && y > y2);
}

/**
 * Polygons as arrays of rings, first the shell, then holes. Strictly inside any part wins over
 * lying on another part's boundary (matters only for overlapping parts; covers either way).
 */
export function pointInMultiPolygon(polygons: FlatRing[][], x: number, y: number): number {
  let result = OUTSIDE;
  for (const rings of polygons) {
    const where = pointInPolygon(rings, x, y);
    if (where === INSIDE) return INSIDE;
    if (where === BOUNDARY) result = BOUNDARY;
  }
  return result;
}

function pointInPolygon(rings: FlatRing[], x: number, y: number): number {
  const shell = pointInRing(rings[0], x, y);
  if (shell !== INSIDE) return shell;
  for (let h = 1; h < rings.length; h++) {
    const hole = pointInRing(rings[h], x, y);
    if (hole === BOUNDARY) return BOUNDARY;
    if (hole === INSIDE) return OUTSIDE;
  }
  return INSIDE;
}

export function flatten(coordinates: number[][][][]): FlatRing[][] {
  return coordinates.map((polygon) => polygon.map((ring) => Float64Array.from(ring.flat())));
}
