import type { MultiPolygon } from 'geojson';

/**
 * A polygon or multipolygon from its ISO WKB (`ST_AsBinary`), every coordinate the double the
 * database holds. `ST_AsGeoJSON` rounds (9 decimals by default): a point on a 15-digit shared
 * edge then falls on the other side in memory than in `ST_Covers`.
 */
export function multiPolygonFromWkb(wkb: Uint8Array): MultiPolygon {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  let at = 0;
  let little = true;
  const header = () => {
    little = view.getUint8(at) === 1;
    const type = view.getUint32(at + 1, little) % 1000; // ISO Z/M types add 1000s; we read x, y
    at += 5;
    return type;
  };
  const uint = () => { const v = view.getUint32(at, little); at += 4; return v; };
  const double = () => { const v = view.getFloat64(at, little); at += 8; return v; };
  const polygon = () => {
    const rings: number[][][] = [];
    for (let r = uint(); r > 0; r--) {
      const ring: number[][] = [];
      for (let n = uint(); n > 0; n--) ring.push([double(), double()]);
      rings.push(ring);
    }
    return rings;
  };
  const type = header();
  if (type === 3) return { type: 'MultiPolygon', coordinates: [polygon()] };
  if (type !== 6) throw new Error(`expected a polygon or multipolygon in WKB, got type ${type}`);
  const coordinates: number[][][][] = [];
  for (let p = uint(); p > 0; p--) {
    if (header() !== 3) throw new Error('a multipolygon in WKB holds a part that is not a polygon');
    coordinates.push(polygon());
  }
  return { type: 'MultiPolygon', coordinates };
}
