// Every block becomes a place: a compound (楼院/小区), an institution (school, hospital, market),
// the park, a plaza or a green. Places carry the buildings, gates and lanes laid out by sites.ts.

import { COMMUNITIES, type SiteKind } from './plan.ts';
import type { Block, Lattice } from './lattice.ts';
import { CLASS_RANK, edgeKey, type RoadNet } from './roads.ts';
import { innerRect, insetBlock, layoutSite, STYLES, type SiteLayout, type Style } from './sites.ts';
import { makeCompoundNamer, SEED_NAMES, type CompoundStyle } from './names.ts';
import { makeRng } from './rng.ts';
import { add, centroid, closeRing, dot, leftNormal, mul, sub, toLonLat, unit, type LonLat, type XY } from './geo.ts';

export type Use = 'residential' | 'public' | 'commercial' | 'school' | 'medical';
export type BuildingRec = {
  id: string; compoundId: string | null; number: string; name: string; floors: number; units: number; use: Use;
  ring: LonLat[]; entrances: LonLat[]; centre: LonLat; place: Place;
};
export type Place = {
  block: Block; kind: SiteKind; code: string; name: string | null; style: CompoundStyle | null;
  roadName: string; houseNo: number; address: string; layout: SiteLayout | null; buildings: BuildingRec[];
  landuse: { cls: 'park' | 'water' | 'school' | 'hospital' | 'plaza' | 'green'; name: string | null; ring: LonLat[] }[];
  extraLanes: { cls: 'lane' | 'footway'; coords: LonLat[] }[];
};

const INSTITUTION_STYLE: Partial<Record<SiteKind, { style: Style; use: Use; landuse: 'school' | 'hospital' | null }>> = {
  school: { style: STYLES.school, use: 'school', landuse: 'school' },
  primary_school: { style: STYLES.school, use: 'school', landuse: 'school' },
  hospital: { style: STYLES.hospital, use: 'medical', landuse: 'hospital' },
  market: { style: STYLES.market, use: 'commercial', landuse: null },
};

export function buildPlaces(L: Lattice, net: RoadNet): Place[] {
  const rng = makeRng('places');
  const namer = makeCompoundNamer(rng);
  const houseNumber = new Map<string, number>();
  const nextNumber = (road: string) => {
    const n = (houseNumber.get(road) ?? rng.int(1, 9)) + rng.int(2, 14);
    houseNumber.set(road, n);
    return n;
  };
  /** Best named road around a block (for addresses). */
  const roadOf = (b: Block): string => {
    let best: { name: string; rank: number } = { name: '民生街道', rank: -1 };
    b.ring.forEach((v, k) => {
      const r = net.edgeRoad.get(edgeKey(v, b.ring[(k + 1) % b.ring.length]));
      if (r?.name && CLASS_RANK[r.cls] > best.rank) best = { name: r.name, rank: CLASS_RANK[r.cls] };
    });
    return best.name;
  };
  const commOrder = (b: Block) => COMMUNITIES.findIndex((c) => c.code === b.community);
  const pos = (b: Block) => centroid(b.ring.map((v) => L.xy[v]));
  const order = [...L.blocks].sort((a, b) => commOrder(a) - commOrder(b) || Math.round(pos(b)[1] / 200) - Math.round(pos(a)[1] / 200) || pos(a)[0] - pos(b)[0]);

  const places: Place[] = [];
  let compoundNo = 0, siteNo = 0;
  const seeds = [...SEED_NAMES];
  for (const block of order) {
    const kind: SiteKind = block.site?.kind ?? 'compound';
    const place: Place = { block, kind, code: '', name: block.site?.name ?? null, style: null, roadName: roadOf(block), houseNo: 0, address: '', layout: null, buildings: [], landuse: [], extraLanes: [] };
    if (kind === 'compound') {
      const seed = block.community === 'XSL' ? seeds.shift() : undefined;
      const style: CompoundStyle = seed?.style ?? (rng.chance(block.area > 40000 ? 0.6 : 0.25) ? 'new' : 'old');
      const st = style === 'old' ? STYLES.old : rng.chance(0.6) ? STYLES.high : STYLES.mid;
      place.layout = layoutSite(L, net, block, st, rng);
      const front = place.layout.frontRoad?.name ?? null;
      const nm = namer(front, style, seed?.name);
      place.name = nm.name;
      place.style = style;
      place.code = `MS-C${String(++compoundNo).padStart(3, '0')}`;
      place.roadName = front ?? place.roadName;
      const numbered = nm.name.match(/^(.+?)(\d+)号院$/);
      place.houseNo = numbered && numbered[1] === place.roadName ? Number(numbered[2]) : nextNumber(place.roadName);
      place.address = numbered && numbered[1] === place.roadName ? `焦作市解放区${nm.name}` : `焦作市解放区${place.roadName}${place.houseNo}号${nm.name}`;
      place.buildings = place.layout.buildings.map((b, k) => ({
        id: `${place.code}-B${String(k + 1).padStart(2, '0')}`, compoundId: place.code, number: `${k + 1}号楼`,
        name: `${nm.name}${k + 1}号楼`, floors: b.floors, units: b.units, use: 'residential', ring: b.ring,
        entrances: b.entrances, centre: b.centre, place,
      }));
    } else {
      place.code = `MS-X${String(++siteNo).padStart(2, '0')}`;
      const sameSite = places.filter((p) => p.block.site === block.site);
      place.houseNo = sameSite[0]?.houseNo ?? nextNumber(place.roadName);
      place.roadName = sameSite[0]?.roadName ?? place.roadName;
      place.address = `焦作市解放区${place.roadName}${place.houseNo}号`;
      const inst = INSTITUTION_STYLE[kind];
      if (inst) {
        place.layout = layoutSite(L, net, block, inst.style, rng);
        const first = sameSite.reduce((s, p) => s + p.buildings.length, 0);
        place.buildings = place.layout.buildings.map((b, k) => ({
          id: `${place.code}-B${String(k + 1).padStart(2, '0')}`, compoundId: null, number: `${first + k + 1}号楼`,
          name: `${place.name}${first + k + 1}号楼`, floors: b.floors, units: b.units, use: inst.use, ring: b.ring,
          entrances: b.entrances, centre: b.centre, place,
        }));
        if (inst.landuse) place.landuse.push({ cls: inst.landuse, name: place.name, ring: place.layout.ring });
      } else if (kind === 'park') layoutPark(L, net, block, place);
      else {
        const { innerLL } = insetBlock(L, net, block);
        place.landuse.push({ cls: kind === 'plaza' ? 'plaza' : 'green', name: place.name, ring: closeRing(innerLL) });
      }
    }
    places.push(place);
  }
  // one building per community becomes its party-mass service centre (党群服务中心)
  for (const c of COMMUNITIES) {
    const host = places.find((p) => p.kind === 'compound' && p.block.community === c.code && p.buildings.length > 2 && p.style === 'old')!;
    const b = host.buildings[0];
    Object.assign(b, { use: 'public', name: `${c.name}党群服务中心`, floors: 3 });
  }
  return places;
}

/** 人民公园: park landuse, a pond, a loop path round the pond and two entrance paths. */
function layoutPark(L: Lattice, net: RoadNet, block: Block, place: Place) {
  const { innerLL, innerXY, map } = insetBlock(L, net, block);
  place.landuse.push({ cls: 'park', name: place.name, ring: closeRing(innerLL) });
  const u = unit(sub(L.xy[block.sides.bottom.at(-1)!], L.xy[block.sides.bottom[0]]));
  const v = leftNormal(u);
  const o = centroid(innerXY);
  const rect = innerRect(innerXY.map((p) => [dot(sub(p, o), u), dot(sub(p, o), v)] as XY));
  const cu = (rect.u0 + rect.u1) / 2 + 10, cv = (rect.v0 + rect.v1) / 2 - 5;
  const ru = (rect.u1 - rect.u0) * 0.26, rv = (rect.v1 - rect.v0) * 0.2;
  const at = (q: XY) => toLonLat(add(o, add(mul(u, q[0]), mul(v, q[1]))));
  const ellipse = (grow: number, n: number) =>
    Array.from({ length: n }, (_, k) => {
      const t = (2 * Math.PI * k) / n, wob = 1 + 0.12 * Math.sin(3 * t + 1);
      return [cu + (ru * wob + grow) * Math.cos(t), cv + (rv * wob + grow) * Math.sin(t)] as XY;
    });
  place.landuse.push({ cls: 'water', name: '映月湖', ring: closeRing(ellipse(0, 32).map(at)) });
  const loop = ellipse(9, 36).map(at);
  place.extraLanes.push({ cls: 'footway', coords: closeRing(loop) });
  for (const side of ['bottom', 'top'] as const) {
    const ids = block.sides[side];
    const vid = ids[Math.floor(ids.length / 2)];
    const k = map[block.ring.indexOf(vid)];
    if (k < 0) continue;
    const target = side === 'bottom' ? 27 : 9; // nearest loop vertices: bottom ≈ 3π/2, top ≈ π/2
    place.extraLanes.push({ cls: 'footway', coords: [L.ll[vid], innerLL[k], loop[target]] });
  }
}
