import gcoord from 'gcoord';
import type { Geometry, Position } from 'geojson';

/**
 * Chinese web maps publish obfuscated coordinates: Amap/Tencent use GCJ-02 ("Mars" coordinates),
 * Baidu uses BD-09. We store WGS84 only, so everything drawn in those tools is converted once,
 * on import. gcoord's inverse is iterative and lands within centimetres of the true WGS84.
 */
export const inputCrs = ['wgs84', 'gcj02', 'bd09'] as const;
export type InputCrs = (typeof inputCrs)[number];

const source = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function toWgs84Position(position: Position, from: InputCrs): Position {
  if (from === 'wgs84') return position;
  const [lon, lat] = gcoord.transform([position[0], position[1]] as [number, number], source[from], gcoord.WGS84);
  // 7 decimals ≈ 1 cm: the precision we store; keeps shared vertices of neighbours identical
  return [round7(lon), round7(lat), ...position.slice(2)];
}

export function toWgs84<G extends Geometry>(geometry: G, from: InputCrs): G {
  if (from === 'wgs84') return geometry;
  const map = (c: any): any => (typeof c[0] === 'number' ? toWgs84Position(c, from) : c.map(map));
  if (geometry.type === 'GeometryCollection') {
    return { ...geometry, geometries: geometry.geometries.map((g) => toWgs84(g, from)) };
  }
  return { ...geometry, coordinates: map((geometry as any).coordinates) };
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
