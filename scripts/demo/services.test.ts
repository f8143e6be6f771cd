// Service points, staff roster and past requests.

import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import OpeningHours from 'opening_hours';
import { demo, ENUMS, type F } from './testkit.ts';

const L = () => demo().layers;
const areas = () => new Map(L().areas.map((a) => [a.id, a]));
const street = () => L().areas.find((a) => a.id === 'MS')!;
const inside = (p: number[], f: F) => booleanPointInPolygon(p, f as any, { ignoreBoundary: true });
const ancestors = (id: string): string[] => {
  const a = areas().get(id)!;
  return a.properties.parentId ? [id, ...ancestors(a.properties.parentId)] : [id];
};

describe('service points', () => {
  it('≥60 points covering every category, inside the street', () => {
    expect(L().pois.length).toBeGreaterThanOrEqual(60);
    expect(new Set(L().pois.map((p) => p.properties.category))).toEqual(new Set(ENUMS.pois.category));
    for (const p of L().pois) {
      expect(inside(p.geometry!.coordinates, street()), p.id).toBe(true);
      expect(p.properties.name).toMatch(/[\u4e00-\u9fff]/);
      expect(p.properties.address).toMatch(/^焦作市解放区/);
      expect(p.properties.phone).toMatch(/^0391-0000\d{4}$/);
      for (const a of p.properties.activities) expect(Object.keys(a).sort()).toEqual(['name', 'schedule']);
    }
  });

  it('opening hours are valid OpenStreetMap opening_hours, with variety', () => {
    const hours = L().pois.map((p) => p.properties.openingHours as string);
    for (const h of hours) expect(() => new OpeningHours(h, { address: { country_code: 'cn', state: '河南省' } } as any), h).not.toThrow();
    expect(hours).toContain('24/7');
    expect(hours).toContain('Mo-Su 18:00-02:00');
    expect(hours.some((h) => h.includes('PH off'))).toBe(true);
    expect(hours).toContain('Mo-Su 06:30-09:00,11:00-13:00,17:00-19:00');
  });

  it('one party-mass service centre per community, inside it', () => {
    for (const c of L().areas.filter((a) => a.properties.level === 'community')) {
      const centres = L().pois.filter((p) => p.properties.category === 'party_service_centre' && inside(p.geometry!.coordinates, c));
      expect(centres.length, c.id).toBe(1);
    }
  });
});

describe('staff roster', () => {
  const staff = () => L().staff;
  it('has the roles per level the seeds describe', () => {
    const of = (role: string, areaId: string) => staff().filter((s) => s.properties.role === role && s.properties.areaId === areaId);
    expect(staff().some((s) => s.properties.role === 'street_admin')).toBe(true);
    expect(staff().some((s) => s.properties.role === 'mediator')).toBe(true);
    for (const a of L().areas) {
      if (a.properties.level === 'community') expect(of('secretary', a.id).length).toBe(1);
      if (a.properties.level !== 'grid') continue;
      expect(of('grid_leader', a.id).length, a.id).toBe(1);
      const workers = of('grid_worker', a.id);
      expect(workers.length >= 1 && workers.length <= 2, a.id).toBe(true);
      for (const s of [...of('grid_leader', a.id), ...workers]) expect(s.properties.phonePublic).toBe(true);
    }
    const leaders = staff().filter((s) => s.properties.role === 'microgrid_leader');
    expect(leaders.every((s) => areas().get(s.properties.areaId)!.properties.level === 'microgrid')).toBe(true);
    expect(new Set(leaders.map((s) => s.properties.phonePublic)).size).toBe(2);
  });

  it('party households are points at their building; 35 in 学生路社区', () => {
    const buildings = L().buildings;
    const households = staff().filter((s) => s.properties.role === 'party_household');
    for (const s of staff()) expect(s.geometry === null).toBe(s.properties.role !== 'party_household');
    for (const h of households) {
      expect(inside(h.geometry!.coordinates, areas().get(h.properties.areaId)!)).toBe(true);
      expect(buildings.some((b) => inside(h.geometry!.coordinates, b)), h.id).toBe(true);
    }
    expect(households.filter((h) => ancestors(h.properties.areaId).includes('MS-XSL')).length).toBe(35);
  });

  it('names and phones are unique and obviously fictional', () => {
    expect(new Set(staff().map((s) => s.properties.name)).size).toBe(staff().length);
    for (const s of staff()) expect(s.properties.phone).toMatch(/^138-0000-\d{4}$/);
  });
});

describe('requests', () => {
  const reqs = () => L().requests;
  const from = Date.parse('2026-08-22T00:00:00+08:00'), to = Date.parse('2026-11-20T00:00:00+08:00');
  it('≥300 tickets over the 90 days before 2026-11-20', () => {
    expect(reqs().length).toBeGreaterThanOrEqual(300);
    for (const r of reqs()) {
      const { createdAt, updatedAt } = r.properties;
      expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      const c = Date.parse(createdAt), u = Date.parse(updatedAt);
      expect(c >= from && c < to, r.id).toBe(true);
      expect(u >= c && u <= Date.parse('2026-11-20T09:00:00+08:00'), r.id).toBe(true);
      expect(r.id).toBe(`GM${createdAt.slice(0, 10).replaceAll('-', '')}-${r.id.slice(-4)}`);
      expect(r.properties.contact).toMatch(/^139-0000-\d{4}$/);
      expect(r.properties.description).toMatch(/[\u4e00-\u9fff]{6,}/);
    }
  });

  it('statuses follow age: old ones closed, recent ones open; variety everywhere', () => {
    const age = (r: F) => (to - Date.parse(r.properties.createdAt)) / 864e5;
    const open = ['collected', 'claimed', 'deliberating'];
    expect(reqs().filter((r) => age(r) > 45 && open.includes(r.properties.status))).toEqual([]);
    expect(reqs().filter((r) => age(r) < 7 && r.properties.status === 'archived')).toEqual([]);
    for (const prop of ['category', 'status', 'channel']) expect(new Set(reqs().map((r) => r.properties[prop])).size).toBe(ENUMS.requests[prop].length);
    expect(new Set(reqs().map((r) => r.properties.description)).size).toBeGreaterThan(200);
  });

  it('each request locates to exactly one micro-grid', () => {
    const micro = L().areas.filter((a) => a.properties.level === 'microgrid');
    for (const r of reqs()) expect(micro.filter((m) => inside(r.geometry!.coordinates, m)).length, r.id).toBe(1);
  });
});
