// data/demo/README.md, with the counts of the generated files.

import type { DemoLayers } from './generate.ts';

export function readme(layers: DemoLayers): string {
  const n = (k: keyof DemoLayers) => layers[k].length;
  const levels = (lv: string) => layers.areas.filter((f) => f.properties.level === lv).length;
  const rows: [string, string][] = [
    ['areas.geojson', `${n('areas')} areas: 1 street 民生街道 (MS), ${levels('community')} communities, ${levels('grid')} grids (学生路社区 MS-XSL has 12; exclusive grids for a school, a hospital and a market), ${levels('microgrid')} micro-grids. Children tile their parent exactly.`],
    ['compounds.geojson', `${n('compounds')} compounds (楼院/小区), each inside one micro-grid`],
    ['gates.geojson', `${n('gates')} gates on compound boundaries, next to a road`],
    ['buildings.geojson', `${n('buildings')} numbered buildings (1号楼…), residential, public (党群服务中心), school, medical, commercial`],
    ['entrances.geojson', `${n('entrances')} unit entrances (2单元) on the buildings' long sides`],
    ['roads.geojson', `${n('roads')} lines: named roads along block edges (grid boundaries follow them) plus lanes and footways joining each gate to every entrance`],
    ['landuse.geojson', `${n('landuse')} polygons: 人民公园 with its pond, schools, the hospital, a plaza, greens`],
    ['pois.geojson', `${n('pois')} service points in all categories, with opening_hours and activities`],
    ['staff.geojson', `${n('staff')} people: street admins, mediators, secretaries, grid leaders and workers, micro-grid leaders, party households (党员中心户, located at their building)`],
    ['requests.geojson', `${n('requests')} past requests over the 90 days before 2026-11-20`],
  ];
  return `# Demo data: 民生街道, 解放区, 焦作 (fictional)

**Licence / provenance: fictional data, generated.** The street, its communities, grids, compounds,
buildings, people, phone numbers and requests are invented. Only the place names of the district and
some road names are real; their positions are not. Phone numbers (0391-0000xxxx, 138-0000-xxxx,
139-0000-xxxx) and people's names (civic words used as given names) are deliberately fictional.

Coordinates are WGS84 (EPSG:4326), rounded to 7 decimals, centred near 113.235°E, 35.216°N. The
format of every file is described in \`docs/data-contract.md\`.

| file | content |
|---|---|
${rows.map(([f, d]) => `| \`${f}\` | ${d} |`).join('\n')}

## How it is made

A jittered, curved lattice of shared vertices is built once (every vertex rounded once); lattice
cells, some merged, are the blocks between roads. Micro-grids are unions of blocks, grids unions
of micro-grids, communities unions of grids, the street the union of all: unions are computed
exactly by cancelling shared edges and chaining the remaining boundary edges, so children tile
their parent with no gap or overlap.

## Regenerate

\`\`\`sh
npx tsx scripts/make-demo-data.ts   # or: npm run demo-data
npx vitest run scripts/             # checks determinism and the constraints
\`\`\`

The generator is seeded (mulberry32) and uses a fixed date, so two runs give byte-identical files.
`;
}
