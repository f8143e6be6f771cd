import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { call, signIn } from '../helpers/staff.ts';
import { importAreas } from '../../api/import/areas.ts';

// Field visits and patrol (issue 11 §3, docs/visits.md): every endpoint refuses the anonymous (401)
// and staff who keep no ledger (403), another area's visit or walk (403); a finding becomes a
// request of the normal loop in one tap; a visit to a care household through /api/visits moves
// that household's next visit due in the care ledger (one table); 零上报 is once a day; and a
// marker finding and marker track are looked for in every public output and log line — never found.

const g01 = 'MS-XSL-G01';

describe.each(modes())('field visits and patrol on %s', (mode) => {
  let t: TestApp;
  let zhao: string; // grid worker of G01
  let zhouG01: string; // the other grid worker of G01
  let wu: string; // grid leader of G01
  let zhouG02: string; // grid worker of G02
  let secretary: string; // 学生路社区
  let otherSecretary: string; // 民主路社区
  let admin: string;
  let mediator: string;
  let building: { id: string; lon: number; lat: number };
  let visit: number; // zhao's marker visit at `building`, with a photo
  let patrol: number;
  const tag = randomBytes(3).toString('hex');
  const marker = { finding: `标记发现${tag} 三楼住户家门口堆满杂物` };
  // positions of the marker walk, near the building: seven decimals no public output would print by chance
  const track = [0.0001357, 0.0002468, 0.0003579].map((d) => ({ dlon: d, dlat: d / 2 }));
  let trackText: string[] = [];
  const logged: string[] = [];
  const get = (path: string, cookie?: string) => call(t, 'GET', path, { cookie });
  const post = (path: string, body: unknown, cookie?: string) => call(t, 'POST', path, { cookie, body });
  const photoForm = async () => {
    const f = new FormData();
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808020' } }).jpeg().toBuffer();
    f.append('photo', new File([new Uint8Array(jpeg)], 'p.jpg', { type: 'image/jpeg' }));
    return f;
  };

  beforeAll(async () => {
    t = await openTestApp(mode);
    [zhao, zhouG01, wu, zhouG02, secretary, otherSecretary, admin, mediator] = await Promise.all(
      ['xsl-g01-zhao', 'xsl-g01-zhou', 'xsl-g01-wu', 'xsl-g02-zhou', 'xsl-shuji', 'mzl-shuji', 'admin', 'mediator'].map((u) => signIn(t, u)));
    const [b] = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT b.id, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
      FROM buildings b CROSS JOIN LATERAL assign_point(ST_PointOnSurface(b.geom)) a
      WHERE a.grid_id = ${g01} AND b.use = 'residential' ORDER BY b.id DESC LIMIT 1`);
    building = { id: b.id, lon: Number(b.lon), lat: Number(b.lat) };
    // every line the server writes while the marker visit and walk are written and read
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
    }
    const started = await post('/api/visits/patrols', {}, zhao);
    expect(started.status, await started.clone().text()).toBe(201);
    patrol = (await started.json()).id;
    const now = Date.now();
    const round = (x: number) => Math.round(x * 1e4) / 1e4;
    const points = track.map((p, i) => ({ lon: round(building.lon) + p.dlon, lat: round(building.lat) + p.dlat, at: new Date(now - (3 - i) * 60_000).toISOString(), accuracy: 6 }));
    trackText = points.map((p) => p.lon.toFixed(7));
    const sent = await post(`/api/visits/patrols/${patrol}/track`, { points }, zhao);
    expect([sent.status, (await sent.json()).points]).toEqual([200, 3]);
    const res = await post('/api/visits', { buildingId: building.id, finding: marker.finding, patrolId: patrol }, zhao);
    expect(res.status, await res.clone().text()).toBe(201);
    visit = (await res.json()).id;
    expect((await call(t, 'POST', `/api/visits/${visit}/photos`, { cookie: zhao, form: await photoForm() })).status).toBe(201);
    expect((await get(`/api/visits/${visit}`, zhao)).status).toBe(200);
    expect((await get(`/api/visits/patrols/${patrol}`, zhao)).status).toBe(200);
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  it('answers the anonymous 401, staff who keep no ledger 403, and another area 403', async () => {
    const reads = ['/api/visits', '/api/visits/coverage', '/api/visits/zero', '/api/visits/patrols', `/api/visits/${visit}`, `/api/visits/patrols/${patrol}`];
    for (const path of reads) {
      expect((await get(path)).status, path).toBe(401);
      expect((await get(path, mediator)).status, path).toBe(403);
    }
    const writes: [string, unknown][] = [
      ['/api/visits', { buildingId: building.id, finding: '看过了' }], ['/api/visits/zero', {}], ['/api/visits/patrols', {}],
      [`/api/visits/${visit}/request`, { category: 'clutter' }], [`/api/visits/patrols/${patrol}/stop`, {}],
    ];
    for (const [path, body] of writes) {
      expect((await post(path, body)).status, path).toBe(401);
      expect((await post(path, body, mediator)).status, path).toBe(403);
    }
    for (const cookie of [zhouG02, otherSecretary]) {
      expect((await get(`/api/visits/${visit}`, cookie)).status).toBe(403);
      expect((await get(`/api/visits/patrols/${patrol}`, cookie)).status).toBe(403);
      expect((await post('/api/visits', { buildingId: building.id, finding: '看过了' }, cookie)).status).toBe(403);
      expect((await post(`/api/visits/${visit}/request`, { category: 'clutter' }, cookie)).status).toBe(403);
    }
    // the walk is its walker's: even the grid's own leader neither adds to it nor stops it
    const foreign = await post(`/api/visits/patrols/${patrol}/track`, { points: [{ lon: building.lon, lat: building.lat, at: new Date().toISOString() }] }, wu);
    expect([foreign.status, (await foreign.json()).code]).toEqual([403, 'not_your_patrol']);
    expect((await get(`/api/visits/photos/1`)).status).toBe(401);
    expect((await get('/api/visits/999999', zhao)).status).toBe(404);
  });

  it('lists and maps to each keeper their own area only', async () => {
    const grids = async (cookie: string) => ((await (await get('/api/visits/coverage', cookie)).json()).grids as { gridId: string }[]).map((g) => g.gridId);
    expect(await grids(zhao)).toEqual([g01]);
    const community = await grids(secretary);
    expect(community.length).toBeGreaterThan(1);
    expect(community.every((id) => id.startsWith('MS-XSL-'))).toBe(true);
    expect((await grids(otherSecretary)).some((id) => id.startsWith('MS-XSL-'))).toBe(false);
    expect((await grids(admin)).length).toBeGreaterThan(community.length);
    const visitsOf = async (cookie: string) => ((await (await get('/api/visits', cookie)).json()).visits as { id: number; gridId: string }[]);
    const mine = await visitsOf(zhao);
    expect(mine.map((v) => v.id)).toContain(visit);
    expect(new Set(mine.map((v) => v.gridId))).toEqual(new Set([g01]));
    expect((await visitsOf(otherSecretary)).map((v) => v.id)).not.toContain(visit);
    // the list carries no finding; the card does, and its read is audited without it
    expect(JSON.stringify(mine)).not.toContain(marker.finding);
    const card = await (await get(`/api/visits/${visit}`, secretary)).json();
    expect(card).toMatchObject({ finding: marker.finding, buildingId: building.id, gridId: g01, patrolId: patrol, photos: 1, workerId: 'MS-S007' });
    expect((await get(card.photoUrls[0], secretary)).headers.get('content-type')).toBe('image/jpeg');
    expect((await get(card.photoUrls[0], otherSecretary)).status).toBe(403);
    const [read] = await t.database.rows<{ actor: string }>(sql`SELECT actor FROM admin_events WHERE action = 'visit_read' AND subject = ${`visit:${visit}`} ORDER BY id DESC LIMIT 1`);
    expect(read.actor).toBe('xsl-shuji');
  });

  it('turns a finding into a request of the loop in one tap, at the building, in the worker\u2019s grid, with the photo', async () => {
    const res = await post(`/api/visits/${visit}/request`, { category: 'clutter' }, zhao);
    expect(res.status, await res.clone().text()).toBe(201);
    const { ticket } = await res.json();
    const [request] = await t.database.rows<{ channel: string; grid_id: string; building_id: string; description: string; status: string; photos: number }>(sql`
      SELECT channel, grid_id, building_id, description, status, (SELECT count(*)::int FROM request_photos p WHERE p.request_id = r.id) AS photos
      FROM requests r WHERE ticket = ${ticket}`);
    expect(request).toMatchObject({ channel: 'visit', grid_id: g01, building_id: building.id, description: marker.finding, status: 'collected', photos: 1 });
    // a second tap files nothing new
    const again = await post(`/api/visits/${visit}/request`, { category: 'clutter' }, zhao);
    expect([again.status, (await again.json()).ticket]).toEqual([200, ticket]);
    expect(Number((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE description = ${marker.finding}`))[0].n)).toBe(1);
    // the grid leader sees it in the queue and it moves like any other request
    const queue = await (await get('/api/staff/requests', wu)).json();
    expect(queue.requests.map((r: { ticket: string }) => r.ticket)).toContain(ticket);
    expect((await post(`/api/staff/requests/${ticket}/claim`, {}, zhao)).status).toBe(200);
    expect((await (await get(`/api/visits/${visit}`, zhao)).json()).ticket).toBe(ticket);
  });

  it('moves a care household\u2019s next visit due when it is visited through /api/visits (one table)', async () => {
    const list = await (await get('/api/care/households', zhao)).json();
    const late = list.households.find((h: { state: string }) => h.state === 'overdue') ?? list.households[0];
    const res = await post('/api/visits', { householdId: late.id, finding: '上门看望，情况稳定', colour: late.colour }, zhao);
    expect(res.status, await res.clone().text()).toBe(201);
    const after = (await (await get('/api/care/households', zhao)).json()).households.find((h: { id: number }) => h.id === late.id);
    expect(Date.parse(after.lastVisitAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(late.dueAt));
    expect(after.state).toBe('ok');
    const cov = await (await get('/api/visits/coverage', zhao)).json();
    expect(cov.households.features.find((f: { id: number }) => f.id === late.id).properties.visits).toBeGreaterThan(0);
    // its building counts as visited too, and the grid's totals add up
    expect(cov.buildings.features.find((f: { id: string }) => f.id === late.buildingId).properties.visits).toBeGreaterThan(0);
    expect(cov.buildings.features.find((f: { id: string }) => f.id === building.id).properties.visits).toBeGreaterThan(0);
    const grid = cov.grids[0];
    expect(grid.visitedBuildings).toBe(cov.buildings.features.filter((f: { properties: { visits: number } }) => f.properties.visits > 0).length);
    expect(grid.visitedHouseholds).toBeLessThanOrEqual(grid.households);
    // another grid's worker cannot log a visit to it
    expect((await post('/api/visits', { householdId: late.id, finding: '看望' }, zhouG02)).status).toBe(403);
  });

  it('records 零上报 once a day per worker: the second answers the first, and a day with a request is refused', async () => {
    const first = await post('/api/visits/zero', { note: '网格内巡查无异常' }, zhouG01);
    expect(first.status, await first.clone().text()).toBe(201);
    const a = await first.json();
    const second = await post('/api/visits/zero', {}, zhouG01);
    const b = await second.json();
    expect([second.status, b.id, b.created, b.gridId]).toEqual([200, a.id, false, g01]);
    expect(Number((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM zero_reports WHERE worker_id = 'MS-S008'`))[0].n)).toBe(1);
    const conflict = await post('/api/visits/zero', {}, zhao); // zhao's finding became a request today
    expect([conflict.status, (await conflict.json()).code]).toEqual([409, 'zero_report_conflict']);
    const community = await post('/api/visits/zero', {}, secretary);
    expect([community.status, (await community.json()).code]).toEqual([403, 'zero_report_grid_only']);
    const cov = await (await get('/api/visits/coverage', secretary)).json();
    expect(cov.grids.find((g: { gridId: string }) => g.gridId === g01).zeroDays).toBeGreaterThanOrEqual(1);
  });

  it('keeps a patrol\u2019s track as a WGS84 line with its time and findings, and closes it for good', async () => {
    const again = await post('/api/visits/patrols', {}, zhao); // one walk at a time: the open one
    expect([again.status, (await again.json()).id]).toEqual([200, patrol]);
    const stopped = await post(`/api/visits/patrols/${patrol}/stop`, {}, zhao);
    expect(stopped.status).toBe(200);
    const p = await stopped.json();
    expect(p.track.type).toBe('LineString');
    expect(p.track.coordinates.length).toBe(3);
    expect(p.track.coordinates[0][0].toFixed(7)).toBe(trackText[0]);
    expect(p.meters).toBeGreaterThan(10);
    expect(p.points).toBe(3);
    expect(p.endedAt).not.toBeNull();
    expect(p.visits.map((v: { id: number }) => v.id)).toEqual([visit]);
    const late = await post(`/api/visits/patrols/${patrol}/track`, { points: [{ lon: building.lon, lat: building.lat, at: new Date().toISOString() }] }, zhao);
    expect([late.status, (await late.json()).code]).toEqual([409, 'patrol_ended']);
    expect((await post('/api/visits', { buildingId: building.id, finding: '又看了一眼', patrolId: patrol }, zhao)).status).toBe(409);
    const seen = await (await get(`/api/visits/patrols/${patrol}`, secretary)).json();
    expect(seen.track.coordinates.length).toBe(3);
    const listed = await (await get('/api/visits/patrols', secretary)).json();
    expect(listed.patrols.find((x: { id: number }) => x.id === patrol)).toMatchObject({ points: 3, visits: 1 });
    expect(JSON.stringify(listed)).not.toContain('coordinates');
  });

  it('refuses hostile input with a stable code, writing nothing', async () => {
    const count = async () => Number((await t.database.rows<{ n: number }>(sql`SELECT (SELECT count(*) FROM care_visits) + (SELECT count(*) FROM patrol_points) AS n`))[0].n);
    const n = await count();
    const bad: [string, unknown, number, string][] = [
      ['/api/visits', { buildingId: building.id, householdId: 1, finding: '两处' }, 400, 'invalid_value'],
      ['/api/visits', { finding: '哪里' }, 400, 'required'],
      ['/api/visits', { buildingId: building.id, finding: '' }, 400, 'required'],
      ['/api/visits', { buildingId: "x'; DROP TABLE care_visits; --", finding: '注入' }, 400, 'invalid_value'],
      ['/api/visits', { buildingId: 'NO-SUCH', finding: '没有这栋楼' }, 404, 'building_not_found'],
      ['/api/visits', { buildingId: building.id, finding: 'x'.repeat(2001) }, 400, 'too_long'],
      ['/api/visits', { buildingId: building.id, finding: '空字符\u0000' }, 400, 'nul_character'],
      ['/api/visits', { buildingId: building.id, finding: '未来', at: '2999-01-01T00:00:00Z' }, 400, 'invalid_value'],
      ['/api/visits', { buildingId: building.id, finding: '多余', secret: 1 }, 400, 'unknown_field'],
      ['/api/visits', { householdId: 99999999, finding: '没有这户' }, 404, 'household_not_found'],
      ['/api/visits', { buildingId: building.id, finding: '别人的巡查', patrolId: 99999999 }, 404, 'patrol_not_found'],
      [`/api/visits/${visit}/request`, { category: 'ufo' }, 400, 'invalid_value'],
      [`/api/visits/patrols/${patrol}/track`, { points: [{ lon: 200, lat: 30, at: new Date().toISOString() }] }, 400, 'out_of_range'],
      [`/api/visits/patrols/${patrol}/track`, { points: Array.from({ length: 501 }, () => ({ lon: 113, lat: 35, at: new Date().toISOString() })) }, 400, 'out_of_range'],
    ];
    for (const [path, body, status, code] of bad) {
      const res = await post(path, body, zhao);
      expect([res.status, (await res.json()).code], `${path} ${JSON.stringify(body).slice(0, 80)}`).toEqual([status, code]);
    }
    expect((await get('/api/visits/coverage?month=2026-13', zhao)).status).toBe(400);
    expect((await (await get('/api/visits/abc', zhao)).json()).code).toBe('visit_not_found');
    expect((await (await get('/api/visits/patrols/1e3', zhao)).json()).code).toBe('patrol_not_found');
    const notJson = await call(t, 'POST', '/api/visits', { cookie: zhao, body: '{"finding":' });
    expect(notJson.status).toBe(400);
    expect(await count()).toBe(n);
  });

  it('shows no marker finding or track position in any public output, tile, stream, Open311 or log line', async () => {
    const text = async (path: string) => (await get(path)).text();
    const replay = async () => {
      const res = await get('/api/events?lastEventId=0');
      const stream = new SseReader(res.body!);
      const events = await stream.collect(1000);
      await stream.close();
      return JSON.stringify(events);
    };
    const tile = async (z: number) => {
      const n = 2 ** z;
      const x = Math.floor(((building.lon + 180) / 360) * n);
      const latRad = (building.lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
      return Buffer.from(await (await get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer()).toString('utf8');
    };
    const collections = JSON.parse(await text('/api/collections')).collections.map((c: { id: string }) => c.id) as string[];
    const outputs: Record<string, string> = {
      stats: await text('/api/stats'),
      kioskStats: await text('/api/stats?kiosk=demo-wall-xsl'),
      publicStream: await replay(),
      open311: await text('/open311/v2/requests.json'),
      tile16: await tile(16),
      log: logged.join('\n'),
    };
    for (const id of collections) outputs[`collection ${id}`] = await text(`/api/collections/${id}/items?limit=10000`);
    expect(outputs.open311.length).toBeGreaterThan(100); // the outputs are read
    for (const [name, body] of Object.entries(outputs)) {
      expect(body, `${name} shows the finding`).not.toContain(marker.finding);
      for (const lon of trackText) expect(body, `${name} shows a track position`).not.toContain(lon);
      expect(body, name).not.toContain(`visit:${visit}`);
    }
  });
  // visit coverage through the stored grid (buildings.grid_id): an area reshape moves a building and its coverage
  it('moves a building\u2019s coverage to the grid a reshape puts it in, in the import\u2019s transaction', async () => {
    const g02 = 'MS-XSL-G02';
    const [b] = await t.database.rows<{ id: string; micro: string }>(sql`
      SELECT b.id, m.id AS micro FROM buildings b JOIN areas m ON m.level = 'microgrid' AND m.parent_id = ${g02}
        AND ST_Covers(m.geom, ST_PointOnSurface(b.geom))
      WHERE b.grid_id = ${g02} AND b.use = 'residential' ORDER BY b.id LIMIT 1`);
    const logged = await post('/api/visits', { buildingId: b.id, finding: '楼道灯已修好' }, zhouG02);
    expect(logged.status, await logged.clone().text()).toBe(201);
    const coverageOf = async (cookie: string) => (await get('/api/visits/coverage', cookie)).json();
    const before = await coverageOf(secretary);
    const count = (cov: typeof before, grid: string) => cov.grids.find((g: { gridId: string }) => g.gridId === grid).buildings as number;
    expect(before.buildings.features.find((f: { id: string }) => f.id === b.id).properties).toMatchObject({ gridId: g02, visits: 1 });
    expect((await coverageOf(zhao)).buildings.features.some((f: { id: string }) => f.id === b.id)).toBe(false);

    // a piece of G02 around the building goes to G01 (and from its micro-grid to G01's first), as an area import does it
    const [shapes] = await t.database.rows<Record<string, string>>(sql`
      WITH piece AS (SELECT ST_Intersection(m.geom, ST_Expand(ST_PointOnSurface(b.geom), 0.00005)) AS g
        FROM buildings b, areas m WHERE b.id = ${b.id} AND m.id = ${b.micro}),
      shape AS (SELECT a.id, CASE WHEN a.id IN (${g01}, ${`${g01}-M1`}) THEN ST_Union(a.geom, piece.g) ELSE ST_Difference(a.geom, piece.g) END AS g
        FROM areas a, piece WHERE a.id IN (${g01}, ${`${g01}-M1`}, ${g02}, ${b.micro}))
      SELECT jsonb_object_agg(id, ST_AsGeoJSON(ST_Multi(g), 15)) AS shapes FROM shape`);
    const areas = await t.database.rows<{ id: string; level: string; name: string; parent_id: string; kind: string }>(sql`
      SELECT id, level, name, parent_id, kind FROM areas WHERE id IN (${g01}, ${`${g01}-M1`}, ${g02}, ${b.micro})`);
    const geometries = typeof shapes.shapes === 'string' ? JSON.parse(shapes.shapes) : shapes.shapes;
    const report = await importAreas(t.database, {
      type: 'FeatureCollection',
      features: areas.map((a) => ({ type: 'Feature', geometry: JSON.parse(geometries[a.id]), properties: { id: a.id, level: a.level, name: a.name, parentId: a.parent_id, kind: a.kind } })),
    }, { crs: 'wgs84' });
    expect(report.errors).toEqual([]);
    expect(report.buildingsMoved).toBe(1);

    const after = await coverageOf(secretary);
    expect(after.buildings.features.find((f: { id: string }) => f.id === b.id).properties).toMatchObject({ gridId: g01, visits: 1 });
    expect([count(after, g01), count(after, g02)]).toEqual([count(before, g01) + 1, count(before, g02) - 1]);
    const mine = await coverageOf(zhao);
    expect(mine.buildings.features.find((f: { id: string }) => f.id === b.id).properties.visits).toBe(1);
    expect((await coverageOf(zhouG02)).buildings.features.some((f: { id: string }) => f.id === b.id)).toBe(false);
  });
});
