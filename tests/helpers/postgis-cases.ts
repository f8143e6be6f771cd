import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceDir } from './reference.ts';

export interface PostgisPointCase {
  name: string;
  polygon: number[][][]; // rings of [x, y]
  point: [number, number];
  /** ST_Covers(polygon, point): true when the point lies inside or on the boundary */
  covers: boolean;
}

/**
 * The point-versus-polygon cases of PostGIS's own regression tests (regress_ogc_cover.sql:
 * covers/coveredby; regress_ogc.sql: contains/within, whose boundary answer is the opposite),
 * with their expected t/f, turned into ST_Covers answers.
 */
export function postgisPointCases(): PostgisPointCase[] {
  const cases: PostgisPointCase[] = [];
  for (const file of ['regress_ogc_cover', 'regress_ogc']) {
    const expected = new Map(readFileSync(join(referenceDir, 'postgis', `${file}_expected`), 'utf8')
      .split('\n').map((l) => l.split('|')).filter((p) => p.length === 2).map(([k, v]) => [k, v.trim() === 't']));
    for (const line of readFileSync(join(referenceDir, 'postgis', `${file}.sql`), 'utf8').split('\n')) {
      const m = line.match(/^SELECT '((?:covers|coveredby|contains|within)\d+)', ST_(\w+)\(/i);
      if (!m || !expected.has(m[1])) continue;
      const polygon = line.match(/POLYGON\(\(([^)]*)\)\)/);
      const point = line.match(/'POINT\(([^)]*)\)'/);
      if (!polygon || !point || /MULTI|LINESTRING/.test(line)) continue;
      const ring = polygon[1].split(',').map((xy) => xy.trim().split(/\s+/).map(Number));
      const [x, y] = point[1].trim().split(/\s+/).map(Number);
      const answer = expected.get(m[1])!;
      const fn = m[2].toLowerCase();
      // contains/within exclude the boundary; a point on the boundary is covered nonetheless
      const onBoundaryDiffers = (fn === 'contains' || fn === 'within') && !answer;
      cases.push({ name: m[1], polygon: [ring], point: [x, y], covers: onBoundaryDiffers ? undefined as any : answer });
    }
  }
  return cases.filter((c) => c.covers !== undefined);
}
