// GeoJSON features for the physical layers: areas, compounds, gates, buildings, entrances,
// roads (+ lanes and footways) and landuse.

import type { Lattice } from './lattice.ts';
import type { Area } from './areas.ts';
import type { Place } from './places.ts';
import { roadFeatures, type RoadNet } from './roads.ts';
import { feature, type Feature } from './geo.ts';

export function areaFeatures(areas: readonly Area[]): Feature[] {
  return areas.map((a) => feature({ id: a.id, level: a.level, kind: a.kind, name: a.name, parentId: a.parentId }, a.geometry));
}

export function placeFeatures(L: Lattice, net: RoadNet, places: readonly Place[], microOf: Map<number, Area>) {
  const compounds: Feature[] = [], gates: Feature[] = [], buildings: Feature[] = [], entrances: Feature[] = [];
  const landuse: Feature[] = [], roads = roadFeatures(L, net);
  let roadNo = net.roads.length, landNo = 0;
  for (const p of places) {
    if (p.kind === 'compound' && p.layout) {
      compounds.push(feature({ id: p.code, name: p.name, address: p.address, microgridId: microOf.get(p.block.id)!.id }, { type: 'Polygon', coordinates: [p.layout.ring] }));
      p.layout.gates.forEach((g, k) =>
        gates.push(feature({ id: `${p.code}-GATE${k + 1}`, compoundId: p.code, name: g.name, main: g.main }, { type: 'Point', coordinates: g.at })),
      );
    }
    for (const b of p.buildings) {
      buildings.push(feature({ id: b.id, compoundId: b.compoundId, number: b.number, name: b.name, floors: b.floors, units: b.units, use: b.use }, { type: 'Polygon', coordinates: [b.ring] }));
      b.entrances.forEach((e, k) =>
        entrances.push(feature({ id: `${b.id}-U${k + 1}`, buildingId: b.id, unit: k + 1, name: `${k + 1}单元` }, { type: 'Point', coordinates: e })),
      );
    }
    for (const l of [...(p.layout?.lanes ?? []), ...p.extraLanes]) {
      const id = `MS-R${String(++roadNo).padStart(4, '0')}`;
      roads.push(feature({ id, name: null, class: l.cls }, { type: 'LineString', coordinates: l.coords }));
    }
    for (const lu of p.landuse) {
      const id = `MS-L${String(++landNo).padStart(2, '0')}`;
      landuse.push(feature({ id, class: lu.cls, name: lu.name }, { type: 'Polygon', coordinates: [lu.ring] }));
    }
  }
  return { compounds, gates, buildings, entrances, roads, landuse };
}
