// Fictional staff roster: names are civic words used as given names, phones are 138-0000-xxxx.
// Only party households (党员中心户) have a location: their building.

import { COMMUNITIES } from './plan.ts';
import type { Area } from './areas.ts';
import type { Place } from './places.ts';
import { makePersonNamer } from './names.ts';
import { makeRng } from './rng.ts';
import { feature, type Feature, type LonLat } from './geo.ts';

export const PARTY_HOUSEHOLDS: Record<string, number> = { XSL: 35, MZL: 10, TNL: 12, GY: 9, MSL: 8 };

export function buildStaff(areas: readonly Area[], places: readonly Place[], microOf: Map<number, Area>): Feature[] {
  const rng = makeRng('staff');
  const nextName = makePersonNamer(rng);
  const out: Feature[] = [];
  const add = (role: string, areaId: string, phonePublic: boolean, at: LonLat | null = null) => {
    const n = out.length + 1;
    out.push(feature(
      { id: `MS-S${String(n).padStart(3, '0')}`, name: nextName(), role, phone: `138-0000-${String(n).padStart(4, '0')}`, phonePublic, areaId },
      at ? { type: 'Point', coordinates: at } : null,
    ));
  };
  add('street_admin', 'MS', true);
  add('street_admin', 'MS', false);
  add('mediator', 'MS', true);
  add('mediator', 'MS-XSL', true);
  for (const c of COMMUNITIES) {
    const cid = `MS-${c.code}`;
    add('secretary', cid, true);
    for (const g of areas.filter((a) => a.level === 'grid' && a.parentId === cid)) {
      add('grid_leader', g.id, true);
      const workers = rng.chance(0.55) ? 2 : 1;
      for (let k = 0; k < workers; k++) add('grid_worker', g.id, true);
      for (const m of areas.filter((a) => a.level === 'microgrid' && a.parentId === g.id)) add('microgrid_leader', m.id, rng.chance(0.5));
    }
    const homes = rng.shuffle(places.filter((p) => p.block.community === c.code).flatMap((p) => p.buildings).filter((b) => b.use === 'residential'));
    for (const b of homes.slice(0, PARTY_HOUSEHOLDS[c.code])) add('party_household', microOf.get(b.place.block.id)!.id, false, b.centre);
  }
  return out;
}
