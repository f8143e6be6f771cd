// The area hierarchy: street → communities → grids → micro-grids, each a union of whole blocks.

import type { AreaKind, AreaLevel } from '../../api/contract/vocabulary.ts';
import { COMMUNITIES } from './plan.ts';
import type { Block, Lattice } from './lattice.ts';
import { adjacency, grow, ringsToGeometry, unionRings, type Geometry } from './partition.ts';
import { makeRng } from './rng.ts';
import { cn } from './names.ts';
import { centroid, type XY } from './geo.ts';

export type Level = AreaLevel;
export type Kind = AreaKind;
export type Area = { id: string; level: Level; kind: Kind; name: string; parentId: string | null; blocks: number[]; geometry: Geometry };

export function buildAreas(L: Lattice, label: (b: Block) => string): { areas: Area[]; microOf: Map<number, Area> } {
  const rng = makeRng('areas');
  const blocks = L.blocks;
  const adj = adjacency(new Map(blocks.map((b) => [b.id, b.ring])));
  const pos = (id: number): XY => centroid(blocks[id].ring.map((v) => L.xy[v]));
  const weight = (id: number) => blocks[id].area;
  const geom = (ids: number[]) => ringsToGeometry(unionRings(ids.map((id) => blocks[id].ring), L.xy), L.ll, L.xy);
  const groupPos = (ids: number[]): XY => {
    const ps = ids.map(pos);
    return [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
  };
  // north-west first, reading order in bands of ~250 m
  const readingOrder = (groups: number[][]) =>
    groups.map((g) => ({ g, p: groupPos(g) })).sort((a, b) => Math.round(b.p[1] / 250) - Math.round(a.p[1] / 250) || a.p[0] - b.p[0]).map((x) => x.g);

  const areas: Area[] = [];
  const microOf = new Map<number, Area>();
  areas.push({ id: 'MS', level: 'street', kind: 'regular', name: '民生街道', parentId: null, blocks: blocks.map((b) => b.id), geometry: geom(blocks.map((b) => b.id)) });
  for (const c of COMMUNITIES) {
    const own = blocks.filter((b) => b.community === c.code);
    const cid = `MS-${c.code}`;
    areas.push({ id: cid, level: 'community', kind: 'regular', name: c.name, parentId: 'MS', blocks: own.map((b) => b.id), geometry: geom(own.map((b) => b.id)) });
    // exclusive grids are fixed: all blocks of one institution
    const exclusive = new Map<string, Block[]>();
    for (const b of own) if (b.site?.exclusive) exclusive.set(b.site.name!, [...(exclusive.get(b.site.name!) ?? []), b]);
    const rest = own.filter((b) => !b.site?.exclusive).map((b) => b.id);
    const groups = grow(rest, c.grids - exclusive.size, adj, pos, weight, rng, 2);
    const ordered: { ids: number[]; site: Block['site'] }[] = [
      ...readingOrder(groups).map((ids) => ({ ids, site: null })),
      ...[...exclusive.values()].map((bs) => ({ ids: bs.map((b) => b.id), site: bs[0].site })),
    ];
    ordered.forEach(({ ids, site }, gi) => {
      const gid = `${cid}-G${String(gi + 1).padStart(2, '0')}`;
      const kind: Kind = site?.exclusive ?? 'regular';
      const name = site ? `${site.name}专属网格` : `${c.name}第${cn(gi + 1)}网格`;
      areas.push({ id: gid, level: 'grid', kind, name, parentId: cid, blocks: ids, geometry: geom(ids) });
      let micro: number[][];
      if (site) micro = ids.map((id) => [id]);
      else {
        const k = ids.length <= 2 ? ids.length : rng.int(2, Math.min(4, ids.length));
        micro = readingOrder(grow(ids, k, adj, pos, weight, rng, 1));
      }
      micro.forEach((mids, mi) => {
        const labels = mids.map((id) => label(blocks[id]));
        const mname = site
          ? `${site.name}${site.parts?.[blocks[mids[0]].part] ?? `第${cn(mi + 1)}区`}微网格`
          : labels.length <= 2 ? `${labels.join('、')}微网格` : `${labels[0]}等${cn(labels.length)}处微网格`;
        const m: Area = { id: `${gid}-M${mi + 1}`, level: 'microgrid', kind, name: mname, parentId: gid, blocks: mids, geometry: geom(mids) };
        areas.push(m);
        for (const id of mids) microOf.set(id, m);
      });
    });
  }
  return { areas, microOf };
}
