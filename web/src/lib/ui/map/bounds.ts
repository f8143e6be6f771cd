import type { Geometry } from 'geojson';

export type Bounds = [number, number, number, number]; // minLon, minLat, maxLon, maxLat

/** The bounding box of a geometry's coordinates, however deeply nested. */
export function boundsOf(geometry: Geometry): Bounds {
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    } else for (const inner of c as unknown[]) visit(inner);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => union(b, boundsOf(g)));
  else visit(geometry.coordinates);
  return b;
}

export function union(into: Bounds, b: Bounds): Bounds {
  into[0] = Math.min(into[0], b[0]);
  into[1] = Math.min(into[1], b[1]);
  into[2] = Math.max(into[2], b[2]);
  into[3] = Math.max(into[3], b[3]);
  return into;
}
