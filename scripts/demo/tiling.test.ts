// Children tile their parent exactly: same boundary edges, same area, no overlaps.

import { describe, expect, it } from 'vitest';
import { area, bbox, featureCollection, intersect } from '@turf/turf';
import { demo, key, polygons, type F } from './testkit.ts';

const areas = () => demo().layers.areas;
const childrenOf = (id: string) => areas().filter((a) => a.properties.parentId === id);
const parents = () => areas().filter((a) => childrenOf(a.id).length > 0);

/** Directed boundary edges of a set of polygons after cancelling edges used in both directions. */
function boundary(fs: F[]): Set<string> {
  const edges = new Set<string>();
  for (const f of fs)
    for (const poly of polygons(f.geometry))
      for (const ring of poly)
        for (let k = 0; k + 1 < ring.length; k++) {
          const e = `${key(ring[k])}>${key(ring[k + 1])}`, rev = `${key(ring[k + 1])}>${key(ring[k])}`;
          if (edges.has(rev)) edges.delete(rev);
          else edges.add(e);
        }
  return edges;
}

describe('area hierarchy', () => {
  it('has the street, ≥3 communities, 12 grids in 学生路社区 and 5–9 elsewhere, ≥2 micro-grids per grid', () => {
    const street = areas().filter((a) => a.properties.level === 'street');
    expect(street.map((a) => [a.id, a.properties.name])).toEqual([['MS', '民生街道']]);
    const communities = childrenOf('MS');
    expect(communities.length).toBeGreaterThanOrEqual(3);
    expect(communities.find((c) => c.id === 'MS-XSL')?.properties.name).toBe('学生路社区');
    for (const c of communities) {
      const n = childrenOf(c.id).length;
      if (c.id === 'MS-XSL') expect(n).toBe(12);
      else expect(n >= 5 && n <= 9, `${c.id} has ${n} grids`).toBe(true);
      for (const g of childrenOf(c.id)) expect(childrenOf(g.id).length).toBeGreaterThanOrEqual(2);
    }
    const schools = areas().filter((a) => a.properties.level === 'grid' && a.properties.kind === 'school');
    expect(schools.length).toBeGreaterThanOrEqual(1);
    expect(areas().filter((a) => a.properties.level === 'microgrid').every((m) => childrenOf(m.id).length === 0)).toBe(true);
  });

  it('children share exactly the boundary of their parent (edge by edge)', () => {
    for (const p of parents()) {
      const fromChildren = [...boundary(childrenOf(p.id))].sort();
      const own = [...boundary([p])].sort();
      expect(fromChildren, p.id).toEqual(own);
    }
  });

  it('children areas add up to the parent area (1e-9 relative)', () => {
    for (const p of parents()) {
      const sum = childrenOf(p.id).reduce((s, c) => s + area(c as any), 0);
      const whole = area(p as any);
      expect(Math.abs(sum - whole) / whole, p.id).toBeLessThan(1e-9);
    }
  });

  it('no two siblings overlap', () => {
    for (const p of parents()) {
      const kids = childrenOf(p.id);
      const boxes = kids.map((k) => bbox(k as any));
      for (let i = 0; i < kids.length; i++)
        for (let j = i + 1; j < kids.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          if (a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]) continue;
          const x = intersect(featureCollection([kids[i], kids[j]] as any));
          const overlap = x ? area(x) : 0;
          expect(overlap, `${kids[i].id} ∩ ${kids[j].id}`).toBeLessThan(0.01); // m²
        }
    }
  });
});
