import { readReference } from '../../tests/helpers/reference.ts';
import { describe, expect, it } from 'vitest';
import { toWgs84, toWgs84Position } from './crs.ts';

type City = { attrs: { name: string }; coords: Record<'WGS84' | 'GCJ02' | 'BD09', [number, number]> };
const cities = readReference<City[]>('gcoord/china-cities.json');

/** metres between two lon/lat positions (equirectangular: fine at these distances) */
function metres(a: number[], b: number[]) {
  const k = 111_320;
  const dx = (a[0] - b[0]) * k * Math.cos((a[1] * Math.PI) / 180);
  const dy = (a[1] - b[1]) * k;
  return Math.hypot(dx, dy);
}

describe('converting Chinese web-map coordinates to WGS84', () => {
  it('brings every GCJ-02 city of the reference table within 1 m of its WGS84 position', () => {
    const worst = Math.max(...cities.map((c) => metres(toWgs84Position(c.coords.GCJ02, 'gcj02'), c.coords.WGS84)));
    expect(cities.length).toBeGreaterThan(300);
    expect(worst).toBeLessThan(1);
  });

  it('brings every BD-09 city of the reference table within 1 m of its WGS84 position', () => {
    const worst = Math.max(...cities.map((c) => metres(toWgs84Position(c.coords.BD09, 'bd09'), c.coords.WGS84)));
    expect(worst).toBeLessThan(1);
  });

  it('moves Jiaozuo by the few hundred metres GCJ-02 shifts it, not more', () => {
    const jiaozuo = cities.find((c) => c.attrs.name === '焦作市')!;
    const shift = metres(jiaozuo.coords.GCJ02, jiaozuo.coords.WGS84);
    expect(shift).toBeGreaterThan(100);
    expect(metres(toWgs84Position(jiaozuo.coords.GCJ02, 'gcj02'), jiaozuo.coords.WGS84)).toBeLessThan(1);
  });

  it('converts every vertex of a polygon and keeps the ring closed', () => {
    const j = cities.find((c) => c.attrs.name === '焦作市')!.coords.GCJ02;
    const ring = [j, [j[0] + 0.01, j[1]], [j[0] + 0.01, j[1] + 0.01], j];
    const out = toWgs84({ type: 'Polygon', coordinates: [ring] }, 'gcj02');
    expect(out.coordinates[0]).toHaveLength(4);
    expect(out.coordinates[0][0]).toEqual(out.coordinates[0][3]);
    expect(out.coordinates[0][0]).not.toEqual(j);
  });

  it('leaves WGS84 input untouched', () => {
    const p = { type: 'Point' as const, coordinates: [113.235, 35.216] };
    expect(toWgs84(p, 'wgs84')).toBe(p);
  });
});
