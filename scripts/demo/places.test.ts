// Compounds, gates, buildings, entrances and the walking network.

import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { demo, distToSegment, key, positions, type F } from './testkit.ts';

const L = () => demo().layers;
const byId = (layer: string) => new Map(L()[layer].map((f) => [f.id, f]));
const inside = (p: number[], f: F) => booleanPointInPolygon(p, f as any, { ignoreBoundary: true });

describe('compounds and buildings', () => {
  it('has the seed compounds and ≥150 buildings (aimed at 250–500)', () => {
    const names = L().compounds.map((c) => c.properties.name);
    for (const n of ['十号院', '矿务局七号院', '怡馨园', '邮政小区', '汝河路22号院']) expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    expect(L().buildings.length).toBeGreaterThanOrEqual(150);
    const residential = L().buildings.filter((b) => b.properties.use === 'residential').length;
    expect(residential / L().buildings.length).toBeGreaterThan(0.7);
  });

  it('every compound lies inside its micro-grid', () => {
    const areas = byId('areas');
    for (const c of L().compounds) {
      const m = areas.get(c.properties.microgridId)!;
      for (const p of positions(c.geometry)) expect(inside(p, m), c.id).toBe(true);
    }
  });

  it('buildings are numbered, sized sensibly and lie inside their compound', () => {
    const compounds = byId('compounds');
    const numbers = new Map<string, Set<string>>();
    for (const b of L().buildings) {
      const { compoundId, number, floors, units } = b.properties;
      expect(number).toMatch(/^\d+号楼$/);
      expect(units >= 1 && units <= 6, b.id).toBe(true);
      expect(floors >= 1 && floors <= 18, b.id).toBe(true);
      if (b.properties.use === 'residential') expect(floors).toBeGreaterThanOrEqual(3);
      if (compoundId === null) continue;
      const seen = numbers.get(compoundId) ?? new Set();
      expect(seen.has(number), `${compoundId} ${number} twice`).toBe(false);
      numbers.set(compoundId, seen.add(number));
      for (const p of positions(b.geometry)) expect(inside(p, compounds.get(compoundId)!), b.id).toBe(true);
    }
    const floors = L().buildings.filter((b) => b.properties.use === 'residential').map((b) => b.properties.floors);
    expect(floors.some((f) => f <= 7) && floors.some((f) => f >= 11)).toBe(true);
  });

  it('each building has one entrance per unit, on its footprint', () => {
    const buildings = byId('buildings');
    const count = new Map<string, number>();
    for (const e of L().entrances) {
      const b = buildings.get(e.properties.buildingId)!;
      expect(e.properties.unit >= 1 && e.properties.unit <= b.properties.units).toBe(true);
      expect(e.properties.name).toBe(`${e.properties.unit}单元`);
      expect(e.id).toBe(`${b.id}-U${e.properties.unit}`);
      const ring = b.geometry!.coordinates[0] as number[][];
      const d = Math.min(...ring.slice(0, -1).map((a, k) => distToSegment(e.geometry!.coordinates, a, ring[k + 1])));
      expect(d, e.id).toBeLessThan(0.05);
      count.set(b.id, (count.get(b.id) ?? 0) + 1);
    }
    for (const b of L().buildings) expect(count.get(b.id), b.id).toBe(b.properties.units);
  });

  it('each compound has 1–3 gates, one main, each a vertex of its boundary', () => {
    const compounds = byId('compounds');
    const gates = new Map<string, F[]>();
    for (const g of L().gates) gates.set(g.properties.compoundId, [...(gates.get(g.properties.compoundId) ?? []), g]);
    for (const c of L().compounds) {
      const gs = gates.get(c.id) ?? [];
      expect(gs.length >= 1 && gs.length <= 3, c.id).toBe(true);
      expect(gs.filter((g) => g.properties.main).length).toBe(1);
      expect(new Set(gs.map((g) => g.properties.name)).size).toBe(gs.length);
      const ring = new Set(positions(compounds.get(c.id)!.geometry).map(key));
      for (const g of gs) expect(ring.has(key(g.geometry!.coordinates)), g.id).toBe(true);
    }
  });

  it('roads, lanes and footways form one connected network reaching every gate and entrance', () => {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const node = (k: string) => (parent.has(k) ? k : (parent.set(k, k), k));
    for (const r of L().roads) {
      const cs = r.geometry!.coordinates as number[][];
      expect(cs.length).toBeGreaterThanOrEqual(2);
      for (let k = 0; k + 1 < cs.length; k++) parent.set(find(node(key(cs[k]))), find(node(key(cs[k + 1]))));
    }
    const roots = new Set([...parent.keys()].map(find));
    expect(roots.size).toBe(1);
    for (const f of [...L().gates, ...L().entrances]) expect(parent.has(key(f.geometry!.coordinates)), f.id).toBe(true);
    const names = new Set(L().roads.map((r) => r.properties.name));
    for (const n of ['学生路', '中医药学校巷', '民主路', '解放路', '塔南路', '民生路']) expect(names).toContain(n);
  });

  it('has the park with a pond, a school, a hospital, a plaza and greens', () => {
    const lu = L().landuse;
    const park = lu.find((l) => l.properties.class === 'park' && l.properties.name === '人民公园')!;
    const pond = lu.find((l) => l.properties.class === 'water')!;
    for (const p of positions(pond.geometry)) expect(inside(p, park)).toBe(true);
    for (const cls of ['school', 'hospital', 'plaza', 'green']) expect(lu.some((l) => l.properties.class === cls), cls).toBe(true);
  });
});
