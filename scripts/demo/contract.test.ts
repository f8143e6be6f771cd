// The generated files follow docs/data-contract.md: property names, enums, ids, references,
// rounding, ring orientation, extent.

import { describe, expect, it } from 'vitest';
import { demo, ENUMS, polygons, positions, type F } from './testkit.ts';
import { signedArea } from './geo.ts';

const PROPS: Record<string, string[]> = {
  areas: ['id', 'level', 'kind', 'name', 'parentId'],
  compounds: ['id', 'name', 'address', 'microgridId'],
  gates: ['id', 'compoundId', 'name', 'main'],
  buildings: ['id', 'compoundId', 'number', 'name', 'floors', 'units', 'use'],
  entrances: ['id', 'buildingId', 'unit', 'name'],
  roads: ['id', 'name', 'class'],
  landuse: ['id', 'class', 'name'],
  pois: ['id', 'category', 'name', 'address', 'phone', 'openingHours', 'activities'],
  staff: ['id', 'name', 'role', 'phone', 'phonePublic', 'areaId'],
  requests: ['id', 'category', 'description', 'channel', 'status', 'createdAt', 'updatedAt', 'contact'],
};
const GEOMETRY: Record<string, string[]> = {
  areas: ['Polygon', 'MultiPolygon'], compounds: ['Polygon'], gates: ['Point'], buildings: ['Polygon'], entrances: ['Point'],
  roads: ['LineString'], landuse: ['Polygon'], pois: ['Point'], staff: ['Point', 'null'], requests: ['Point'],
};

const layers = () => demo().layers;
const byId = (layer: string) => new Map(layers()[layer].map((f) => [f.id, f]));

describe('data contract', () => {
  it.each(Object.keys(PROPS))('%s: properties, geometry types and ids', (layer) => {
    const fs = layers()[layer];
    expect(fs.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const f of fs) {
      expect(f.type).toBe('Feature');
      expect(Object.keys(f.properties).sort()).toEqual([...PROPS[layer]].sort());
      expect(typeof f.id).toBe('string');
      expect(f.properties.id).toBe(f.id);
      expect(ids.has(f.id), `duplicate id ${f.id}`).toBe(false);
      ids.add(f.id);
      expect(GEOMETRY[layer]).toContain(f.geometry ? f.geometry.type : 'null');
      for (const [prop, values] of Object.entries(ENUMS[layer] ?? {})) expect(values, `${f.id}.${prop}`).toContain(f.properties[prop]);
    }
  });

  it('ids are unique across all files', () => {
    const all = Object.values(layers()).flatMap((fs) => fs.map((f) => f.id));
    expect(new Set(all).size).toBe(all.length);
  });

  it('every reference resolves to a feature of the right kind', () => {
    const areas = byId('areas'), compounds = byId('compounds'), buildings = byId('buildings');
    for (const a of layers().areas) {
      if (a.properties.level === 'street') { expect(a.properties.parentId).toBeNull(); continue; }
      const parent = areas.get(a.properties.parentId)!;
      const above = { community: 'street', grid: 'community', microgrid: 'grid' }[a.properties.level as 'grid'];
      expect(parent?.properties.level, a.id).toBe(above);
      expect(a.id.startsWith(`${parent.id}-`)).toBe(true);
    }
    for (const c of layers().compounds) expect(areas.get(c.properties.microgridId)?.properties.level).toBe('microgrid');
    for (const g of layers().gates) expect(compounds.has(g.properties.compoundId)).toBe(true);
    for (const b of layers().buildings) if (b.properties.compoundId !== null) expect(compounds.has(b.properties.compoundId)).toBe(true);
    for (const e of layers().entrances) expect(buildings.has(e.properties.buildingId)).toBe(true);
    for (const s of layers().staff) expect(areas.has(s.properties.areaId), s.id).toBe(true);
  });

  it('coordinates are WGS84 lon/lat rounded to 7 decimals, inside the street bbox', () => {
    const street = layers().areas.find((a) => a.properties.level === 'street')!;
    const ps = positions(street.geometry);
    const [x0, x1] = [Math.min(...ps.map((p) => p[0])), Math.max(...ps.map((p) => p[0]))];
    const [y0, y1] = [Math.min(...ps.map((p) => p[1])), Math.max(...ps.map((p) => p[1]))];
    expect(x1 - x0).toBeGreaterThan(0.015); // ≈ 1.4 km
    expect(x1 - x0).toBeLessThan(0.028); // ≈ 2.5 km
    expect(y1 - y0).toBeGreaterThan(0.0135);
    expect(y1 - y0).toBeLessThan(0.0226);
    expect(Math.abs((x0 + x1) / 2 - 113.235)).toBeLessThan(0.003);
    expect(Math.abs((y0 + y1) / 2 - 35.216)).toBeLessThan(0.003);
    for (const fs of Object.values(layers()))
      for (const f of fs)
        for (const p of positions(f.geometry)) {
          expect(p.length).toBe(2);
          for (const v of p) expect(Math.round(v * 1e7) / 1e7).toBe(v);
          expect(p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1, `${f.id} outside bbox`).toBe(true);
        }
  });

  it('rings are closed, exteriors counter-clockwise and holes clockwise', () => {
    for (const layer of ['areas', 'compounds', 'buildings', 'landuse'])
      for (const f of layers()[layer] as F[])
        for (const poly of polygons(f.geometry))
          poly.forEach((ring, k) => {
            expect(ring.length).toBeGreaterThanOrEqual(4);
            expect(ring[0]).toEqual(ring.at(-1));
            const a = signedArea(ring.slice(0, -1));
            expect(k === 0 ? a > 0 : a < 0, `${f.id} ring ${k}`).toBe(true);
            expect(new Set(ring.slice(0, -1).map(String)).size, `${f.id} repeats a vertex`).toBe(ring.length - 1);
          });
  });
});
