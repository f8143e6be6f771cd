// Orchestrates the demo data: lattice → roads → places → areas → features, POIs, staff, requests.
// Pure and deterministic: returns file name → file content.

import { buildLattice } from './lattice.ts';
import { buildRoads } from './roads.ts';
import { buildPlaces } from './places.ts';
import { buildAreas } from './areas.ts';
import { areaFeatures, placeFeatures } from './features.ts';
import { buildPois } from './pois.ts';
import { buildStaff } from './staff.ts';
import { buildRequests } from './requests.ts';
import { featureCollection, type Feature } from './geo.ts';
import { readme } from './readme.ts';

export type DemoLayers = Record<'areas' | 'compounds' | 'gates' | 'buildings' | 'entrances' | 'roads' | 'landuse' | 'pois' | 'staff' | 'requests', Feature[]>;

export function buildLayers(): DemoLayers {
  const L = buildLattice();
  const net = buildRoads(L);
  const places = buildPlaces(L, net);
  const byBlock = new Map(places.map((p) => [p.block.id, p]));
  const { areas, microOf } = buildAreas(L, (b) => byBlock.get(b.id)!.name ?? '街头绿地');
  const physical = placeFeatures(L, net, places, microOf);
  return {
    areas: areaFeatures(areas),
    ...physical,
    pois: buildPois(places),
    staff: buildStaff(areas, places, microOf),
    requests: buildRequests(places),
  };
}

export function generateDemoFiles(): Record<string, string> {
  const layers = buildLayers();
  const files: Record<string, string> = {};
  for (const [name, features] of Object.entries(layers)) files[`${name}.geojson`] = featureCollection(features);
  files['README.md'] = readme(layers);
  return files;
}
