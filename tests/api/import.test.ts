import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import gcoord from 'gcoord';
import type { Feature, MultiPolygon, Position } from 'geojson';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, signIn } from '../helpers/staff.ts';
import { importAreas } from '../../api/import/areas.ts';
import { dataChangedChannel } from '../../api/db/client.ts';

describe.each(modes())('importing area boundaries on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  /** areas as the administrator's file would hold them (WGS84), optionally with another geometry */
  const features = async (where = sql`true`) => (await t.database.rows<{ id: string; level: string; kind: string; name: string; parent_id: string | null; g: string }>(sql`
    SELECT id, level, kind, name, parent_id, ST_AsGeoJSON(geom) AS g FROM areas WHERE ${where} ORDER BY id`))
    .map((r): Feature<MultiPolygon> => ({
      type: 'Feature', geometry: JSON.parse(r.g),
      properties: { id: r.id, level: r.level, kind: r.kind, name: r.name, parentId: r.parent_id },
    }));
  const withGeometry = async (id: string, geometrySql: ReturnType<typeof sql>) => {
    const [f] = await features(sql`id = ${id}`);
    const [{ g }] = await t.database.rows<{ g: string }>(sql`SELECT ST_AsGeoJSON(${geometrySql}) AS g FROM areas WHERE id = ${id}`);
    return { ...f, geometry: JSON.parse(g) };
  };
  const collection = (fs: unknown[]) => ({ type: 'FeatureCollection', features: fs });
  /** everything an import may change, as one fingerprint */
  const fingerprint = async () => (await t.database.rows<{ areas: string; requests: string }>(sql`
    SELECT (SELECT md5(string_agg(id || level || kind || name || coalesce(parent_id, '') || color_index || ST_AsEWKT(geom), '|' ORDER BY id)) FROM areas) AS areas,
           (SELECT md5(string_agg(id || coalesce(grid_id, '') || coalesce(microgrid_id, '') || coalesce(community_id, ''), '|' ORDER BY id)) FROM requests) AS requests`))[0];
  /** two sibling grids a, b, and a micro-grid of each (ma, mb) that share a border at least 100 m long */
  const neighbourGrids = async () => {
    const [pair] = await t.database.rows<{ a: string; b: string; ma: string; mb: string }>(sql`
      SELECT ga.id AS a, gb.id AS b, ma.id AS ma, mb.id AS mb
      FROM areas ma JOIN areas mb ON ma.level = 'microgrid' AND mb.level = 'microgrid' AND ma.parent_id < mb.parent_id
        AND ST_Intersects(ma.geom, mb.geom)
      JOIN areas ga ON ga.id = ma.parent_id JOIN areas gb ON gb.id = mb.parent_id AND gb.parent_id = ga.parent_id
      WHERE ST_Length(ST_Intersection(ma.geom, mb.geom)::geography) > 100
      ORDER BY ga.id, gb.id, ma.id, mb.id LIMIT 1`);
    expect(pair, 'the demo data needs two neighbouring grids whose micro-grids meet').toBeTruthy();
    return pair;
  };

  it('converts a GCJ-02 file to WGS84: stored vertices land within 1 m of the true ones', async () => {
    // the whole layer, as Amap would show it: neighbours shift alike, so shared edges stay shared
    const original = await features();
    const gcj = original.map((f) => ({
      ...f,
      geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((p) => p.map((r) => r.map((xy) => gcoord.transform(xy as [number, number], gcoord.WGS84, gcoord.GCJ02)))) },
    }));
    const grid = original.find((f) => f.properties!.level === 'grid')!;
    const report = await importAreas(t.database, collection(gcj), { crs: 'gcj02' });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.updated.length).toBe(original.length);
    const [stored] = await features(sql`id = ${grid.properties!.id}`);
    const metres = (a: Position, b: Position) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);
    const before = grid.geometry.coordinates.flat(2);
    const after = stored.geometry.coordinates.flat(2);
    const shifted = gcj.find((f) => f.properties!.id === grid.properties!.id)!.geometry.coordinates.flat(2);
    expect(after.length).toBe(before.length);
    expect(Math.max(...after.map((p, i) => metres(p, before[i])))).toBeLessThan(1);
    expect(Math.min(...after.map((p, i) => metres(p, shifted[i])))).toBeGreaterThan(100); // GCJ-02 is ~hundreds of metres off
  });

  it('refuses a self-intersecting polygon, naming the area and the reason, and changes nothing', async () => {
    const { a } = await neighbourGrids();
    const before = await fingerprint();
    const bowtie = await withGeometry(a, sql`ST_Multi(ST_MakePolygon(ST_MakeLine(ARRAY[
      ST_MakePoint(ST_XMin(geom), ST_YMin(geom)), ST_MakePoint(ST_XMax(geom), ST_YMax(geom)),
      ST_MakePoint(ST_XMax(geom), ST_YMin(geom)), ST_MakePoint(ST_XMin(geom), ST_YMax(geom)),
      ST_MakePoint(ST_XMin(geom), ST_YMin(geom))])))`);
    const report = await importAreas(t.database, collection([bowtie]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'invalid', areaIds: [a], message: expect.stringMatching(/Self-intersection/) })]);
    expect(report.errors[0].at).toHaveLength(2);
    expect(report.inserted.length + report.updated.length).toBe(0);
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses a grid that overlaps its sibling, reporting where and how much', async () => {
    const { a, b } = await neighbourGrids();
    const before = await fingerprint();
    const grown = await withGeometry(a, sql`ST_Multi(ST_Buffer(geom::geography, 20)::geometry)`);
    const report = await importAreas(t.database, collection([grown]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    const overlap = report.errors.find((e) => e.kind === 'overlap' && e.areaIds.includes(b));
    expect(overlap, JSON.stringify(report.errors)).toBeTruthy();
    expect(overlap!.areaIds).toEqual([a, b].sort());
    expect(overlap!.areaM2).toBeGreaterThan(1000); // a 20 m band along a 100+ m border
    const [inBoth] = await t.database.rows<{ ok: boolean }>(sql`
      SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(${overlap!.at![0]}, ${overlap!.at![1]}), 4326)) AS ok FROM areas WHERE id = ${b}`);
    expect(inBoth.ok).toBe(true);
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses a grid that leaves a gap between it and its siblings', async () => {
    const { a } = await neighbourGrids();
    const before = await fingerprint();
    const shrunk = await withGeometry(a, sql`ST_Multi(ST_Buffer(geom::geography, -10)::geometry)`);
    const report = await importAreas(t.database, collection([shrunk]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    const gap = report.errors.find((e) => e.kind === 'gap');
    expect(gap, JSON.stringify(report.errors)).toBeTruthy();
    const [{ parent_id }] = await t.database.rows<{ parent_id: string }>(sql`SELECT parent_id FROM areas WHERE id = ${a}`);
    expect(gap!.areaIds[0]).toBe(parent_id);
    expect(gap!.areaIds).toContain(a);
    expect(gap!.areaM2).toBeGreaterThan(1000);
    expect(gap!.message).toMatch(/gap of \d+ m²/);
    expect(await fingerprint()).toEqual(before);
  });

  it.each([
    ['MS-NOWHERE', /"MS-NOWHERE" is neither in this file nor in the database/],
    ['MS', /its parent must be a community, but "MS" is a street/],
  ])('refuses a grid whose parent is %s', async (parentId, message) => {
    const { a } = await neighbourGrids();
    const before = await fingerprint();
    const [f] = await features(sql`id = ${a}`);
    const report = await importAreas(t.database, collection([{ ...f, properties: { ...f.properties, parentId } }]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'property', areaIds: [a], path: 'features[0].properties.parentId', message: expect.stringMatching(message) })]);
    expect(await fingerprint()).toEqual(before);
  });

  /**
   * A re-drawn border between grids a and b: a (and its micro-grid ma) take over a 40 m disc of b
   * (and of mb) around the middle of the border between ma and mb. Snapped to 7 decimals, as
   * drawing tools and our demo data are, so the polygons stay valid through GeoJSON.
   */
  const redraw = async () => {
    const { a, b, ma, mb } = await neighbourGrids();
    const pieceSql = sql`(SELECT ST_ReducePrecision(ST_Intersection(y.geom, ST_Buffer(ST_ClosestPoint(s, ST_Centroid(s))::geography, 40)::geometry), 1e-7)
      FROM areas y, (SELECT ST_Intersection(x.geom, y.geom) AS s FROM areas x, areas y WHERE x.id = ${ma} AND y.id = ${mb}) m WHERE y.id = ${mb})`;
    const features = [];
    for (const id of [a, ma]) features.push(await withGeometry(id, sql`ST_Multi(ST_ReducePrecision(ST_Union(geom, ${pieceSql}), 1e-7))`));
    for (const id of [b, mb]) features.push(await withGeometry(id, sql`ST_Multi(ST_ReducePrecision(ST_Difference(geom, ${pieceSql}), 1e-7))`));
    const [inside] = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(p) lon, ST_Y(p) lat FROM ST_PointOnSurface(${pieceSql}) p`);
    const [outside] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) lon, ST_Y(p) lat FROM areas, ST_PointOnSurface(ST_Difference(geom, ST_Buffer(${pieceSql}, 0.0001))) p WHERE id = ${mb}`);
    return { a, b, ma, mb, features, inside, outside };
  };
  const file = async (at: { lon: number; lat: number }) => {
    const res = await t.post('/api/requests', { category: 'blocked_drain', description: '界线两侧的诉求', ...at });
    expect(res.status).toBe(201);
    return (await res.json()).ticket as string;
  };

  it('tells running servers that the areas changed, once it has committed — and not on a dry run', async () => {
    const heard: string[] = [];
    const stop = await t.database.listen(dataChangedChannel, (what) => heard.push(what));
    try {
      const { features } = await redraw();
      await importAreas(t.database, collection(features), { crs: 'wgs84', dryRun: true });
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);
      const report = await importAreas(t.database, collection(features), { crs: 'wgs84' });
      expect(report.ok).toBe(true);
      await expect.poll(() => heard, { timeout: 5_000 }).toEqual(['areas']);
    } finally {
      await stop();
    }
  });

  it('places the labels of the areas it redraws inside their new boundaries', async () => {
    const { features } = await redraw();
    const report = await importAreas(t.database, collection(features), { crs: 'wgs84' });
    expect(report.ok).toBe(true);
    const ids = features.map((f: any) => f.properties.id);
    const rows = await t.database.rows<{ id: string; inside: boolean }>(sql`
      SELECT id, ST_Covers(geom, label_point) AS inside FROM areas WHERE id IN (${sql.join(ids.map((id: string) => sql`${id}`), sql`, `)})`);
    expect(rows.length).toBe(ids.length);
    for (const r of rows) expect(r.inside, r.id).toBe(true);
  });

  it('checks and counts on a dry run, then leaves everything as it was', async () => {
    const { features, inside } = await redraw();
    await file(inside);
    const before = await fingerprint();
    const report = await importAreas(t.database, collection(features), { crs: 'wgs84', dryRun: true });
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, dryRun: true });
    expect(report.requestsMoved).toBeGreaterThan(0);
    expect(await fingerprint()).toEqual(before);
  });

  it('moves the requests on the side of a re-drawn border between two grids, and only those', async () => {
    const { a, b, ma, mb, features, inside, outside } = await redraw();
    const filed = [await file(inside), await file(outside)];
    const snapshot = async () => new Map((await t.database.rows<{ ticket: string; g: string | null; m: string | null }>(sql`
      SELECT ticket, grid_id AS g, microgrid_id AS m FROM requests`)).map((r) => [r.ticket, `${r.g}/${r.m}`]));
    const before = await snapshot();
    const events = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM request_events WHERE action = 'reassigned'`))[0].n;
    const eventsBefore = await events();

    const report = await importAreas(t.database, collection(features), { crs: 'wgs84' });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.updated.sort()).toEqual([a, b, ma, mb].sort());

    const after = await snapshot();
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
    expect(changed).toContain(filed[0]);
    expect(changed).not.toContain(filed[1]);
    expect(report.moves.map((m) => m.ticket).sort()).toEqual(changed);
    expect(report.requestsMoved).toBe(changed.length);
    for (const m of report.moves) expect([m.from.gridId, m.from.microgridId, m.to.gridId, m.to.microgridId]).toEqual([b, mb, a, ma]);
    expect(await events()).toBe(eventsBefore + changed.length);
    // every request now sits where /api/locate's SQL rule puts it
    const [{ wrong }] = await t.database.rows<{ wrong: number }>(sql`
      SELECT count(*)::int AS wrong FROM requests r CROSS JOIN LATERAL assign_point(r.geom) p
      WHERE (r.street_id, r.community_id, r.grid_id, r.microgrid_id) IS DISTINCT FROM (p.street_id, p.community_id, p.grid_id, p.microgrid_id)`);
    expect(wrong).toBe(0);
    // the move is on each request's record, readable everywhere a request's history is shown
    const admin = await signIn(t, 'admin');
    const detail = await call(t, 'GET', `/api/staff/requests/${filed[0]}`, { cookie: admin });
    expect(detail.status).toBe(200);
    const moved = ((await detail.json()).events as { action: string; note: string | null; detail: Record<string, string> | null }[])
      .find((e) => e.action === 'reassigned');
    // the areas by name, as data the page words in its language; no sentence stored
    const names = new Map((await t.database.rows<{ id: string; name: string }>(sql`SELECT id, name FROM areas WHERE id IN (${ma}, ${mb})`)).map((r) => [r.id, r.name]));
    expect(moved).toMatchObject({ note: null, detail: { fromArea: names.get(mb), toArea: names.get(ma) } });
    expect((await t.get('/api/stats')).status).toBe(200);
  });

  it.runIf(mode === 'postgres')('leaves every request filed while an import runs assigned by the new boundaries', async () => {
    const { features, inside } = await redraw();
    let importing = true;
    const filings: Promise<unknown>[] = [];
    // eight residents filing at the re-drawn border all through the import, and a moment after
    for (let client = 0; client < 8; client++) {
      filings.push((async () => {
        for (let after = 0; importing || after < 3; after += importing ? 0 : 1) await file(inside);
      })());
    }
    const report = await importAreas(t.database, collection(features), { crs: 'wgs84' });
    importing = false;
    await Promise.all(filings);
    expect(report.ok).toBe(true);
    const [{ wrong, total }] = await t.database.rows<{ wrong: number; total: number }>(sql`
      SELECT count(*) FILTER (WHERE (r.street_id, r.community_id, r.grid_id, r.microgrid_id)
               IS DISTINCT FROM (p.street_id, p.community_id, p.grid_id, p.microgrid_id))::int AS wrong, count(*)::int AS total
      FROM requests r CROSS JOIN LATERAL assign_point(r.geom) p`);
    expect(total).toBeGreaterThan(0);
    expect(wrong).toBe(0);
  });

  it('refuses a micro-grid that reaches outside its grid', async () => {
    const { ma, mb } = await neighbourGrids();
    const before = await fingerprint();
    const merged = await withGeometry(ma, sql`ST_Multi(ST_Union(geom, (SELECT geom FROM areas WHERE id = ${mb})))`);
    const report = await importAreas(t.database, collection([merged]), { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual(expect.objectContaining({ kind: 'outside', areaIds: expect.arrayContaining([ma]) }));
    expect(await fingerprint()).toEqual(before);
  });

  it('accepts a sliver under 1 m² between siblings with a warning', async () => {
    const [pair] = await t.database.rows<{ m1: string; m2: string }>(sql`
      SELECT x.id AS m1, y.id AS m2 FROM areas x JOIN areas y ON x.parent_id = y.parent_id AND x.id < y.id
      WHERE x.level = 'microgrid' AND ST_Length(ST_Intersection(x.geom, y.geom)::geography) > 50 ORDER BY x.id, y.id LIMIT 1`);
    // a disc of 0.5 m radius on their border: half of it (≈ 0.4 m²) now lies in both
    const grown = await withGeometry(pair.m1, sql`ST_Multi(ST_ReducePrecision(ST_Union(geom, (
      SELECT ST_Buffer(ST_ClosestPoint(s, ST_Centroid(s))::geography, 0.5)::geometry
      FROM (SELECT ST_Intersection(x.geom, y.geom) AS s FROM areas x, areas y WHERE x.id = ${pair.m1} AND y.id = ${pair.m2}) m)), 1e-8))`);
    const report = await importAreas(t.database, collection([grown]), { crs: 'wgs84', dryRun: true });
    expect(report.errors).toEqual([]);
    const sliver = report.warnings.find((w) => w.kind === 'overlap');
    expect(sliver).toMatchObject({ areaIds: [pair.m1, pair.m2] });
    expect(sliver!.areaM2).toBeGreaterThan(0.1);
    expect(sliver!.areaM2).toBeLessThan(1);
  });

  it('lists every GeoJSON error with its path and writes nothing', async () => {
    const before = await fingerprint();
    const report = await importAreas(t.database, {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'X1', level: 'grid', name: 'x', parentId: 'MS-XSL' }, geometry: { type: 'Polygon', coordinates: [[[113.2, 35.2], [113.21, 35.2], [113.21, 35.21]]] } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[113.2, 35.2], [113.21, 35.2], ['113.21', 35.21], [113.2, 35.2]]] } },
      ],
    }, { crs: 'wgs84' });
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.path)).toEqual(['features[0].geometry.coordinates[0]', 'features[1]', 'features[1].geometry.coordinates[0][2][0]']);
    expect(report.errors[0].message).toMatch(/^features\[0\]\.geometry\.coordinates\[0\]: a linear ring needs at least 4 positions, the last equal to the first/);
    expect(await fingerprint()).toEqual(before);
  });
});
