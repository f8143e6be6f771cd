import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { importAreas } from '../../api/import/areas.ts';
import { file, toWgs84 } from '../helpers/repair-fixture.ts';

const at = ([x, y]: number[]) => sql`ST_SetSRID(ST_MakePoint(${toWgs84([x, y])[0]}, ${toWgs84([x, y])[1]}), 4326)`;

describe.each(modes())('repairing area boundaries on import on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const owners = async ([x, y]: number[]) => (await t.database.rows<{ id: string }>(sql`
    SELECT id FROM areas WHERE level = 'community' AND id LIKE 'RP-%' AND ST_Intersects(geom, ${at([x, y])}) ORDER BY id`)).map((r) => r.id);
  const tiling = async () => (await t.database.rows<{ invalid: number; overlap: number; gap: number; outside: number }>(sql`
    SELECT (SELECT count(*)::int FROM areas WHERE id LIKE 'RP-%' AND NOT ST_IsValid(geom)) AS invalid,
      (SELECT coalesce(ST_Area(ST_Intersection(a.geom, b.geom)::geography), 0) FROM areas a, areas b WHERE a.id = 'RP-A' AND b.id = 'RP-B') AS overlap,
      (SELECT ST_Area(ST_Difference(s.geom, ST_Union(c.geom))::geography) FROM areas s JOIN areas c ON c.parent_id = s.id WHERE s.id = 'RP-S' GROUP BY s.geom) AS gap,
      (SELECT ST_Area(ST_Difference(ST_Union(c.geom), s.geom)::geography) FROM areas s JOIN areas c ON c.parent_id = s.id WHERE s.id = 'RP-S' GROUP BY s.geom) AS outside`))[0];
  const geometries = async () => (await t.database.rows<{ id: string; g: string }>(sql`
    SELECT id, ST_AsEWKT(geom) AS g FROM areas WHERE id LIKE 'RP-%' ORDER BY id`));

  it('refuses the file without --repair, and writes nothing', async () => {
    const report = await importAreas(t.database, file(), { crs: 'gcj02' });
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual(expect.objectContaining({ kind: 'invalid', areaIds: ['RP-A'] }));
    expect(report.repair).toBeUndefined();
    expect(await geometries()).toEqual([]);
  });

  it('with --repair, a dry run reports the repair and writes nothing', async () => {
    const report = await importAreas(t.database, file(), { crs: 'gcj02', repair: true, dryRun: true });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.repair!.areas.map((a) => a.areaId)).toContain('RP-B');
    expect(await geometries()).toEqual([]);
  });

  it('with --repair, imports valid boundaries that tile the street; the 1 ha overlap goes to the larger side, the notch to its neighbour', async () => {
    const report = await importAreas(t.database, file(), { crs: 'gcj02', repair: true });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.inserted.sort()).toEqual(['RP-A', 'RP-B', 'RP-S']);

    const left = await tiling();
    expect(left.invalid).toBe(0);
    expect(left.overlap).toBeLessThan(1);
    expect(left.gap).toBeLessThan(1);
    expect(left.outside).toBeLessThan(1);

    // the rule: the larger area (A, 51 ha against B's 50 ha) keeps the strip both drew
    expect(await owners([505, 500])).toEqual(['RP-A']);
    expect(await owners([700, 998])).toEqual(['RP-B']);
    const overlap = report.repair!.steps.filter((s) => s.kind === 'overlap' && s.m2 >= 1);
    expect(overlap).toEqual([expect.objectContaining({ areaIds: ['RP-A', 'RP-B'], keptBy: 'RP-A' })]);
    expect(overlap[0].m2).toBeGreaterThan(9_500);
    expect(overlap[0].m2).toBeLessThan(10_500);
    // the notch (20 m² drawn, plus the quantisation sliver along the same edge) borders only B
    const notch = report.repair!.steps.filter((s) => s.kind === 'gap' && s.m2 > 15 && s.areaIds.includes('RP-B'));
    expect(notch).toEqual([expect.objectContaining({ areaIds: ['RP-S', 'RP-B'], keptBy: 'RP-B' })]);
    expect(notch[0].m2).toBeLessThan(30);
    // every small gap went to a child that borders it
    for (const g of report.repair!.steps.filter((s) => s.kind === 'gap')) expect(g.areaIds.slice(1)).toContain(g.keptBy);

    // per area: m² and % changed; B gave up the 1 ha strip (≈2 % of its 50 ha), A was made valid
    const b = report.repair!.areas.find((a) => a.areaId === 'RP-B')!;
    expect(b.changedM2).toBeGreaterThan(9_500);
    expect(b.changedM2).toBeLessThan(10_500);
    expect(b.changedPct).toBeGreaterThan(1.8);
    expect(b.changedPct).toBeLessThan(2.2);
    expect(b.beforeM2 - b.afterM2).toBeGreaterThan(9_500);
    const a = report.repair!.areas.find((x) => x.areaId === 'RP-A')!;
    expect(a.madeValid).toBe(true);
    expect(a.changedPct).toBeLessThan(0.1);
  });

  it('the same file repaired again gives the same boundaries (deterministic)', async () => {
    const first = await geometries();
    const report = await importAreas(t.database, file(), { crs: 'gcj02', repair: true });
    expect(report.ok).toBe(true);
    expect(report.updated.sort()).toEqual(['RP-A', 'RP-B', 'RP-S']);
    expect(await geometries()).toEqual(first);
  });

  it('a gap above the threshold is left and refused', async () => {
    const report = await importAreas(t.database, file(), { crs: 'gcj02', repair: true, gapThresholdM2: 10 });
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual(expect.objectContaining({ kind: 'gap', areaIds: expect.arrayContaining(['RP-S', 'RP-B']) }));
  });
});

describe.each(modes())('importing an area file without our property names on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  /** the fixture as DataV/ECharts spell it: adcode (a number), name, parent: { adcode } — no level */
  const datav = () => {
    const f = file();
    const code = (id: string) => ({ 'RP-S': 410899001, 'RP-A': 410899001001, 'RP-B': 410899001002 })[id]!;
    return {
      ...f,
      features: f.features.map((x) => ({
        ...x, properties: { adcode: code(x.properties.id), name: `${x.properties.id}社区`, parent: x.properties.parentId ? { adcode: code(x.properties.parentId) } : null },
      })),
    };
  };

  it('--map reads id, name and parent from the file\'s own columns; --level sets the level it lacks', async () => {
    const all = datav();
    const street = { ...all, features: all.features.slice(0, 1) };
    const unmapped = await importAreas(t.database, street, { crs: 'gcj02', level: 'street' });
    expect(unmapped.ok).toBe(false);
    expect(unmapped.errors).toEqual([expect.objectContaining({ kind: 'property', path: 'features[0].properties.id' })]);

    const map = { id: 'adcode', name: 'name', parentId: 'parent' };
    expect((await importAreas(t.database, street, { crs: 'gcj02', map, level: 'street' })).errors).toEqual([]);
    const communities = { ...all, features: all.features.slice(1) };
    const report = await importAreas(t.database, communities, { crs: 'gcj02', map, level: 'community', repair: true });
    expect(report.errors).toEqual([]);
    expect(report.inserted.sort()).toEqual(['410899001001', '410899001002']);
    expect(await t.database.rows(sql`SELECT id, level, name, parent_id FROM areas WHERE id LIKE '4108990%' ORDER BY id`)).toEqual([
      { id: '410899001', level: 'street', name: 'RP-S社区', parent_id: null },
      { id: '410899001001', level: 'community', name: 'RP-A社区', parent_id: '410899001' },
      { id: '410899001002', level: 'community', name: 'RP-B社区', parent_id: '410899001' },
    ]);
  });

  it('--parent sets the parent of features that name none; a file\'s own parent wins', async () => {
    const f = datav();
    const [, a] = f.features;
    const orphan = { ...f, features: [{ ...a, properties: { adcode: a.properties.adcode, name: 'RP-A社区' } }] };
    const report = await importAreas(t.database, orphan, { crs: 'gcj02', map: { id: 'adcode', parentId: 'parent.adcode' }, level: 'community', parentId: '410899001', repair: true, dryRun: true });
    expect(report.errors).toEqual([]);
    expect(report.updated).toEqual(['410899001001']);
    const wrong = await importAreas(t.database, f, { crs: 'gcj02', map: { id: 'adcode', parentId: 'parent' }, level: 'community', parentId: 'NO-SUCH', dryRun: true });
    expect(wrong.errors).toContainEqual(expect.objectContaining({ path: 'features[0].properties.parentId' }));
  });
});
