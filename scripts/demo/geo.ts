// Local metric frame around the street centre, rounding, ring helpers, GeoJSON writing.

export type XY = [number, number]; // metres east / north of the centre
export type LonLat = [number, number];

export const CENTRE: LonLat = [113.235, 35.216];
const M_PER_DEG_LAT = 110574;
const M_PER_DEG_LON = 111320 * Math.cos((CENTRE[1] * Math.PI) / 180);

export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** metres → lon/lat, rounded to 7 decimals (the only place coordinates are rounded). */
export function toLonLat([x, y]: XY): LonLat {
  return [round7(CENTRE[0] + x / M_PER_DEG_LON), round7(CENTRE[1] + y / M_PER_DEG_LAT)];
}

export function toXY([lon, lat]: LonLat): XY {
  return [(lon - CENTRE[0]) * M_PER_DEG_LON, (lat - CENTRE[1]) * M_PER_DEG_LAT];
}

export const sub = (a: XY, b: XY): XY => [a[0] - b[0], a[1] - b[1]];
export const add = (a: XY, b: XY): XY => [a[0] + b[0], a[1] + b[1]];
export const mul = (a: XY, k: number): XY => [a[0] * k, a[1] * k];
export const dot = (a: XY, b: XY): number => a[0] * b[0] + a[1] * b[1];
export const cross = (a: XY, b: XY): number => a[0] * b[1] - a[1] * b[0];
export const len = (a: XY): number => Math.hypot(a[0], a[1]);
export const unit = (a: XY): XY => mul(a, 1 / len(a));
export const lerp = (a: XY, b: XY, t: number): XY => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
export const leftNormal = (d: XY): XY => [-d[1], d[0]];

/** Signed area (shoelace) of an open or closed ring; > 0 means counter-clockwise. */
export function signedArea(ring: readonly (readonly number[])[]): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

export function centroid(ring: readonly XY[]): XY {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i], q = ring[(i + 1) % ring.length];
    const c = p[0] * q[1] - q[0] * p[1];
    a += c; cx += (p[0] + q[0]) * c; cy += (p[1] + q[1]) * c;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** Even-odd point in polygon for an open ring. */
export function pointInRing(p: readonly number[], ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Inward offset of a counter-clockwise ring, each edge k moved in by d[k] metres. Returns the new
 * ring and, for every input vertex, the index of its offset vertex (or -1 where two points were
 * needed because the offsets of two nearly parallel edges differ).
 */
export function insetRing(ring: readonly XY[], d: readonly number[]): { ring: XY[]; map: number[] } {
  const n = ring.length;
  const out: XY[] = [];
  const map: number[] = [];
  for (let k = 0; k < n; k++) {
    const prev = (k - 1 + n) % n;
    const d1 = unit(sub(ring[k], ring[prev]));
    const d2 = unit(sub(ring[(k + 1) % n], ring[k]));
    const n1 = leftNormal(d1), n2 = leftNormal(d2);
    const c = cross(d1, d2);
    if (Math.abs(c) < 0.17) {
      if (Math.abs(d[prev] - d[k]) < 1e-9) {
        map.push(out.length);
        out.push(add(ring[k], mul(add(n1, n2), d[k] / (1 + dot(n1, n2)))));
      } else {
        map.push(-1);
        out.push(add(ring[k], mul(n1, d[prev])), add(ring[k], mul(n2, d[k])));
      }
      continue;
    }
    // intersect p1 + t d1 and p2 + s d2
    const p1 = add(ring[prev], mul(n1, d[prev]));
    const p2 = add(ring[k], mul(n2, d[k]));
    const t = cross(sub(p2, p1), d2) / c;
    map.push(out.length);
    out.push(add(p1, mul(d1, t)));
  }
  return { ring: out, map };
}

export const closeRing = <T>(ring: readonly T[]): T[] => [...ring, ring[0]];

export type Feature = {
  type: 'Feature';
  id: string;
  properties: Record<string, unknown> & { id: string };
  geometry: null | { type: string; coordinates: unknown };
};

export function feature(props: Record<string, unknown> & { id: string }, geometry: Feature['geometry']): Feature {
  return { type: 'Feature', id: props.id, properties: props, geometry };
}

/** One feature per line, so the committed files diff well. */
export function featureCollection(features: readonly Feature[]): string {
  const lines = features.map((f) => JSON.stringify(f));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}
