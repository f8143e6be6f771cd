import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { call, signIn } from '../helpers/staff.ts';
import { wishTransitions } from '../../api/contract/vocabulary.ts';
import type { NeedRow, ProjectRow, ResourceRow, WishRow } from '../../api/contract/lists.ts';
import { removeDemo } from '../../api/demo/mode.ts';

// 三项清单 and 微心愿 (issue 11 §1, docs/lists.md) through the API: who may read and write what
// (anonymous 401, outside the area 403), a need taken from a request, a project linking needs and
// resources that each then name it, the wish's state machine with its refused steps, hostile input
// that writes nothing, and a marker need and wish whose private words and household appear in no
// public output, log line, audit line or table as written — only the summary staff published.

const g01 = 'MS-XSL-G01';

describe.each(modes())('the three lists on %s', (mode) => {
  let t: TestApp;
  let zhao: string; // grid worker of G01
  let zhouG02: string; // grid worker of G02
  let secretary: string; // 学生路社区
  let otherSecretary: string; // 民主路社区
  let admin: string; // the street
  let mediator: string;
  let need: number;
  let wish: number;
  const tag = randomBytes(3).toString('hex');
  const marker = {
    detail: `标记需求${tag} 腿脚不好下楼难`,
    household: `标记住户${tag} 3号楼502`,
    wish: `标记心愿${tag} 想要助听器`,
    wishHousehold: `标记老人${tag} 孙奶奶`,
  };
  const summary = `为一位老人添置助听器 ${tag}`; // what staff publish: on the board, and nothing more
  const logged: string[] = [];
  const get = (path: string, cookie?: string) => call(t, 'GET', path, { cookie });
  const post = (path: string, body: unknown, cookie?: string) => call(t, 'POST', path, { cookie, body });
  const ok = async <T>(res: Response | Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    expect(r.status, await r.clone().text()).toBe(status);
    return r.json() as Promise<T>;
  };
  const code = async (res: Response | Promise<Response>) => {
    const r = await res;
    return [r.status, (await r.json()).code];
  };

  beforeAll(async () => {
    t = await openTestApp(mode);
    [zhao, zhouG02, secretary, otherSecretary, admin, mediator] = await Promise.all(
      ['xsl-g01-zhao', 'xsl-g02-zhou', 'xsl-shuji', 'mzl-shuji', 'admin', 'mediator'].map((u) => signIn(t, u)));
    // every line the server writes while the marker need and wish are written, read and moved
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
    }
    need = (await ok<{ id: number }>(post('/api/lists/needs', {
      gridId: g01, kind: 'elderly_meals', title: '独居老人午餐', households: 3, detail: marker.detail, household: marker.household, source: 'visit',
    }, zhao), 201)).id;
    wish = (await ok<{ id: number }>(post('/api/lists/wishes', { gridId: g01, wish: marker.wish, household: marker.wishHousehold, publicSummary: summary }, zhao), 201)).id;
    await ok(get('/api/lists/needs', zhao));
    await ok(get('/api/lists/wishes', zhao));
    await ok(get('/api/lists/map', zhao));
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  it('answers the anonymous 401 and staff who keep no lists 403, at every endpoint; grid staff do not write resources or projects', async () => {
    const reads = ['/api/lists/needs', '/api/lists/resources', '/api/lists/projects', '/api/lists/wishes', '/api/lists/map', '/api/lists/places'];
    for (const path of reads) {
      expect((await get(path)).status, path).toBe(401);
      expect((await get(path, mediator)).status, path).toBe(403);
    }
    const writes: [string, unknown][] = [
      ['/api/lists/needs', { gridId: g01, title: '某需求' }],
      [`/api/lists/needs/${need}`, { households: 4 }],
      ['/api/lists/resources', { name: '某单位', kind: 'unit', offers: '场地' }],
      ['/api/lists/resources/1', { name: '某单位' }],
      ['/api/lists/projects', { title: '某项目' }],
      ['/api/lists/projects/1', { title: '某项目' }],
      ['/api/lists/projects/1/progress', { month: '2026-01', note: '进展' }],
      ['/api/lists/wishes', { gridId: g01, wish: '某心愿' }],
      [`/api/lists/wishes/${wish}`, { publicSummary: '' }],
      [`/api/lists/wishes/${wish}/status`, { to: 'withdrawn' }],
    ];
    for (const [path, body] of writes) {
      expect((await post(path, body)).status, path).toBe(401);
      expect((await post(path, body, mediator)).status, path).toBe(403);
    }
    expect(await code(post('/api/lists/resources', { name: '某单位', kind: 'unit', offers: '场地' }, zhao))).toEqual([403, 'out_of_scope']);
    expect(await code(post('/api/lists/projects', { title: '某项目' }, zhao))).toEqual([403, 'out_of_scope']);
    // outside the area: another grid's worker, another community's secretary
    for (const cookie of [zhouG02, otherSecretary]) {
      expect(await code(post(`/api/lists/needs/${need}`, { households: 9 }, cookie))).toEqual([403, 'out_of_scope']);
      expect(await code(post(`/api/lists/wishes/${wish}/status`, { to: 'withdrawn' }, cookie))).toEqual([403, 'out_of_scope']);
      expect(await code(post('/api/lists/needs', { gridId: g01, title: '某需求' }, cookie))).toEqual([403, 'out_of_scope']);
    }
    const [xslProject] = (await ok<{ projects: ProjectRow[] }>(get('/api/lists/projects', secretary))).projects;
    expect(await code(post(`/api/lists/projects/${xslProject.id}`, { title: '改名' }, otherSecretary))).toEqual([403, 'out_of_scope']);
    expect(await code(post('/api/lists/projects', { title: '某项目', communityId: 'MS-XSL' }, otherSecretary))).toEqual([403, 'out_of_scope']);
  });

  it('lists to each keeper the needs of their own area, grouped by grid and kind, and the resources of their community and street', async () => {
    const needsOf = async (cookie: string) => (await ok<{ needs: NeedRow[]; groups: { gridId: string; households: number }[] }>(get('/api/lists/needs', cookie)));
    const worker = await needsOf(zhao);
    expect(new Set(worker.needs.map((n) => n.gridId))).toEqual(new Set([g01]));
    const mine = worker.needs.find((n) => n.id === need)!;
    expect(mine).toMatchObject({ detail: marker.detail, household: marker.household, households: 3, source: 'visit', status: 'open', projects: [] });
    const community = await needsOf(secretary);
    expect(community.needs.length).toBeGreaterThan(worker.needs.length);
    expect(community.needs.every((n) => n.gridId.startsWith('MS-XSL-'))).toBe(true);
    // the groups add up to the needs
    expect(community.groups.reduce((s, g) => s + g.households, 0)).toBe(community.needs.reduce((s, n) => s + n.households, 0));
    const other = await needsOf(otherSecretary);
    expect(other.needs.length).toBeGreaterThan(0);
    expect(other.needs.some((n) => n.gridId.startsWith('MS-XSL-'))).toBe(false);
    const street = await needsOf(admin);
    expect(street.needs.length).toBe(community.needs.length + other.needs.length + Number((await t.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM list_needs WHERE community_id NOT IN ('MS-XSL', 'MS-MZL')`))[0].n));
    const resourcesOf = async (cookie: string) => (await ok<{ resources: ResourceRow[] }>(get('/api/lists/resources', cookie))).resources;
    const xsl = await resourcesOf(zhao);
    expect(xsl.length).toBeGreaterThan(3);
    expect(xsl.every((r) => r.communityId === 'MS-XSL' || r.communityId === null)).toBe(true);
    expect(xsl.some((r) => r.communityId === null)).toBe(true); // the street's own
    const mzl = await resourcesOf(otherSecretary);
    expect(mzl.some((r) => r.communityId === 'MS-XSL')).toBe(false);
    // the map: a point for each need in scope, and no resident's words
    const map = await ok<{ features: { properties: { layer: string; id: number } }[] }>(get('/api/lists/map', zhao));
    expect(map.features.filter((f) => f.properties.layer === 'need').map((f) => f.properties.id).sort()).toEqual(worker.needs.map((n) => n.id).sort());
    expect(map.features.some((f) => f.properties.layer === 'resource')).toBe(true);
  });

  it('takes a need from a request: its grid, its kind by category, source request and the ticket', async () => {
    const [r] = await t.database.rows<{ ticket: string; category: string }>(sql`
      SELECT ticket, category FROM requests WHERE grid_id = ${g01} AND category = 'blocked_drain' ORDER BY id LIMIT 1`);
    const { id } = await ok<{ id: number }>(post('/api/lists/needs', { request: r.ticket, title: '下水道反复堵塞', households: 5 }, secretary), 201);
    const row = (await ok<{ needs: NeedRow[] }>(get('/api/lists/needs', zhao))).needs.find((n) => n.id === id)!;
    expect(row).toMatchObject({ gridId: g01, kind: 'pipe_renewal', source: 'request', sourceRef: r.ticket, households: 5 });
    expect(await code(post('/api/lists/needs', { request: r.ticket, title: '下水道' }, zhouG02))).toEqual([403, 'out_of_scope']);
    expect(await code(post('/api/lists/needs', { request: 'GM00000000-0000', title: '下水道' }, secretary))).toEqual([404, 'request_not_found']);
  });

  it('links needs and resources in a project that each then name; moves it by its table and tracks it monthly', async () => {
    const resource = (await ok<{ id: number }>(post('/api/lists/resources', {
      name: '学生路长者食堂', kind: 'venue', offers: '老年助餐', poiId: 'MS-P020', contactPhone: '0391-1234567',
    }, secretary), 201)).id;
    const [mzlNeed] = (await ok<{ needs: NeedRow[] }>(get('/api/lists/needs', otherSecretary))).needs;
    expect(await code(post('/api/lists/projects', { title: '助餐', needIds: [need, mzlNeed.id] }, secretary))).toEqual([422, 'list_link_out_of_scope']);
    expect(await code(post('/api/lists/projects', { title: '助餐', startsOn: '2026-05-01', endsOn: '2026-04-01' }, secretary))).toEqual([400, 'invalid_period']);
    const project = (await ok<{ id: number }>(post('/api/lists/projects', {
      title: '长者助餐', needIds: [need], resourceIds: [resource], startsOn: '2026-11-01',
    }, secretary), 201)).id;
    const needRow = (await ok<{ needs: NeedRow[] }>(get('/api/lists/needs', zhao))).needs.find((n) => n.id === need)!;
    expect(needRow.projects).toEqual([{ id: project, title: '长者助餐', status: 'planned' }]);
    const resourceRow = (await ok<{ resources: ResourceRow[] }>(get('/api/lists/resources', zhao))).resources.find((r) => r.id === resource)!;
    expect(resourceRow).toMatchObject({ projects: [{ id: project, title: '长者助餐', status: 'planned' }], poiName: '学生路长者食堂' });
    expect(resourceRow.lon).toBeTypeOf('number');

    expect(await code(post(`/api/lists/projects/${project}`, { status: 'completed' }, secretary))).toEqual([409, 'list_transition_refused']);
    await ok(post(`/api/lists/projects/${project}`, { status: 'active', participants: 12 }, secretary));
    await ok(post(`/api/lists/projects/${project}/progress`, { month: '2026-11', note: '每日送餐 12 份', participants: 12 }, secretary), 201);
    await ok(post(`/api/lists/projects/${project}/progress`, { month: '2026-12', note: '增加到 15 份', participants: 15 }, secretary), 201);
    await ok(post(`/api/lists/projects/${project}`, { status: 'completed', outcome: '独居老人午餐有着落' }, admin));
    const row = (await ok<{ projects: ProjectRow[] }>(get('/api/lists/projects', zhao))).projects.find((p) => p.id === project)!;
    expect(row).toMatchObject({ status: 'completed', participants: 12, outcome: '独居老人午餐有着落', households: 3 });
    expect(row.progress.map((p) => p.month)).toEqual(['2026-12', '2026-11']);
    expect(row.resources.map((r) => r.id)).toEqual([resource]);
    // unlinking the need: the need no longer names it
    await ok(post(`/api/lists/projects/${project}`, { needIds: [] }, secretary));
    expect((await ok<{ needs: NeedRow[] }>(get('/api/lists/needs', zhao))).needs.find((n) => n.id === need)!.projects).toEqual([]);
    const trail = await t.database.rows<{ action: string; note: string }>(sql`SELECT action, note FROM admin_events WHERE subject = ${`project:${project}`} ORDER BY id`);
    expect(trail.map((e) => e.action)).toEqual(['project_created', 'project_updated', 'project_progress', 'project_progress', 'project_updated', 'project_updated']);
    expect(trail[1].note).toContain('planned→active');
  });

  it('moves a wish along its state machine only: claimed by a unit, fulfilled, confirmed; refused steps answer 409', async () => {
    const { id } = await ok<{ id: number }>(post('/api/lists/wishes', { gridId: g01, wish: '想要一副老花镜' }, zhao), 201);
    const move = (to: string, extra: object = {}, cookie = zhao) => post(`/api/lists/wishes/${id}/status`, { to, ...extra }, cookie);
    expect(await code(move('fulfilled'))).toEqual([409, 'list_transition_refused']);
    expect(((await (await move('confirmed')).json()).allowed)).toEqual([...wishTransitions.posted]);
    expect(await code(move('claimed'))).toEqual([400, 'required']);
    const [unit] = (await ok<{ resources: ResourceRow[] }>(get('/api/lists/resources', zhao))).resources.filter((r) => r.communityId === 'MS-XSL');
    const [mzlUnit] = (await ok<{ resources: ResourceRow[] }>(get('/api/lists/resources', otherSecretary))).resources.filter((r) => r.communityId === 'MS-MZL');
    expect(await code(move('claimed', { claimantResourceId: mzlUnit.id }))).toEqual([422, 'list_link_out_of_scope']);
    // two claims at once: one wins, the other is told it moved
    const both = await Promise.all([move('claimed', { claimantResourceId: unit.id }), move('claimed', { claimantName: '志愿者小李' }, secretary)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const claimed = (await ok<{ wishes: WishRow[] }>(get('/api/lists/wishes', zhao))).wishes.find((w) => w.id === id)!;
    expect(claimed.status).toBe('claimed');
    expect(claimed.claimedAt).toBeTruthy();
    await ok(move('fulfilled', { note: '已送到' }));
    await ok(move('confirmed'));
    const done = (await ok<{ wishes: WishRow[] }>(get('/api/lists/wishes', zhao))).wishes.find((w) => w.id === id)!;
    expect(done).toMatchObject({ status: 'confirmed', note: '已送到' });
    expect(done.fulfilledAt && done.confirmedAt).toBeTruthy();
    for (const to of ['posted', 'claimed', 'fulfilled', 'withdrawn']) expect(await code(move(to))).toEqual([409, 'list_transition_refused']);
    const steps = await t.database.rows<{ note: string }>(sql`SELECT note FROM admin_events WHERE subject = ${`wish:${id}`} AND action = 'wish_moved' ORDER BY id`);
    expect(steps.map((s) => s.note)).toEqual(['posted→claimed', 'claimed→fulfilled', 'fulfilled→confirmed']);
  });

  it('refuses hostile input with a stable code, writing nothing', async () => {
    const count = async () => Number((await t.database.rows<{ n: number }>(sql`
      SELECT (SELECT count(*) FROM list_needs) + (SELECT count(*) FROM list_projects) + (SELECT count(*) FROM list_wishes) + (SELECT count(*) FROM list_resources) AS n`))[0].n);
    const before = await count();
    const bad: [string, unknown, number, string][] = [
      ['/api/lists/needs', { gridId: g01, title: '某', secret: 1 }, 400, 'unknown_field'],
      ['/api/lists/needs', { gridId: g01, title: '' }, 400, 'required'],
      ['/api/lists/needs', { gridId: g01, title: 'x'.repeat(81) }, 400, 'too_long'],
      ['/api/lists/needs', { gridId: g01, title: '某', households: 0 }, 400, 'out_of_range'],
      ['/api/lists/needs', { gridId: g01, title: '某', kind: 'weapons' }, 400, 'invalid_value'],
      ['/api/lists/needs', { gridId: g01, title: 'a\u0000b' }, 400, 'nul_character'],
      ['/api/lists/needs', { gridId: "G01' OR 1=1 --", title: '某' }, 404, 'area_not_found'],
      ['/api/lists/needs', { title: '某' }, 400, 'required'],
      ['/api/lists/needs', { buildingId: 'NO-SUCH', title: '某' }, 404, 'building_not_found'],
      ['/api/lists/needs', '[1,2]', 400, 'invalid_body'],
      ['/api/lists/needs', '{"title":', 400, 'invalid_json'],
      ['/api/lists/wishes', { gridId: g01, wish: 'x'.repeat(501) }, 400, 'too_long'],
      ['/api/lists/projects', { title: '某', needIds: [1.5] }, 400, 'invalid_value'],
      ['/api/lists/projects', { title: '某', needIds: Array.from({ length: 201 }, (_, i) => i + 1) }, 400, 'out_of_range'],
      ['/api/lists/projects', { title: '某', status: 'completed' }, 400, 'invalid_value'],
      ['/api/lists/projects', { title: '某', startsOn: '2026-13-01' }, 400, 'invalid_value'],
      ['/api/lists/resources', { name: '某', kind: 'unit', offers: '场地', contactPhone: 'call me' }, 400, 'invalid_value'],
      ['/api/lists/resources', { name: '某', kind: 'unit', offers: '场地', poiId: 'NO-SUCH' }, 404, 'not_found'],
      [`/api/lists/wishes/${wish}/status`, { to: 'granted' }, 400, 'invalid_value'],
      ['/api/lists/projects/1/progress', { month: '2026-1', note: '某' }, 400, 'invalid_value'],
    ];
    for (const [path, body, status, expected] of bad) {
      const res = await post(path, body, secretary);
      expect([res.status, (await res.json()).code], `${path} ${JSON.stringify(body).slice(0, 80)}`).toEqual([status, expected]);
    }
    for (const [path, expected] of [['needs/abc', 'need_not_found'], ['needs/99999999', 'need_not_found'], ['projects/-1', 'project_not_found'], ['wishes/1e3/status', 'wish_not_found'], ['resources/999999', 'resource_not_found']] as const) {
      const body = { wishes: { to: 'withdrawn' }, needs: { households: 2 }, resources: { name: '某' }, projects: { title: '某' } }[path.split('/')[0]];
      expect(await code(post(`/api/lists/${path}`, body, admin)), path).toEqual([404, expected]);
    }
    expect(await count()).toBe(before);
  });

  it('shows the public board only the published summary, and the marker words nowhere public, logged, audited or stored as written', async () => {
    const text = async (path: string, cookie?: string) => (await get(path, cookie)).text();
    const board = await ok<{ wishes: { id: number; summary: string }[] }>(get('/api/lists/wishes/board?community=MS-XSL'));
    expect(board.wishes.find((w) => w.id === wish)).toEqual({ id: wish, summary, gridName: '学生路社区第一网格', communityName: '学生路社区', status: 'posted', postedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const replay = async () => {
      const stream = new SseReader((await get('/api/events?lastEventId=0')).body!);
      const events = await stream.collect(1000);
      await stream.close();
      return JSON.stringify(events);
    };
    const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM list_needs WHERE id = ${need}`);
    const z = 15;
    const x = Math.floor(((Number(p.lon) + 180) / 360) * 2 ** z);
    const lat = (Number(p.lat) * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
    const outputs: Record<string, string> = {
      board: JSON.stringify(board),
      boardAll: await text('/api/lists/wishes/board'),
      stats: await text('/api/stats'),
      kioskStats: await text('/api/stats?kiosk=demo-wall-xsl'),
      publicStream: await replay(),
      search: await text(`/api/search?q=${encodeURIComponent(marker.household)}`),
      open311: await text('/open311/v2/requests.json'),
      tile: Buffer.from(await (await get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer()).toString('utf8'),
      staffMap: await text('/api/lists/map', secretary), // staff, but looked at over shoulders: no resident's words
      log: logged.join('\n'),
      audit: JSON.stringify(await t.database.rows(sql`SELECT * FROM admin_events`)),
    };
    // of the OGC collections, the one a need taken from a request could leak into (the places' never see the lists)
    outputs.requestsCollection = await text('/api/collections/requests/items?limit=10000');
    for (const [name, body] of Object.entries(outputs)) {
      for (const value of Object.values(marker)) expect(body, `${name} shows ${value}`).not.toContain(value);
    }
    expect(outputs.boardAll).toContain(summary);
    // nor in any table as written: sealed like the care ledger's fields
    // the tables these endpoints write (the lists' own, and the audit trail)
    const tables = await t.database.rows<{ t: string }>(sql`
      SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND (table_name LIKE 'list_%' OR table_name = 'admin_events')`);
    expect(tables.length).toBe(8);
    let everything = '';
    for (const { t: table } of tables) everything += (await t.database.rows<{ r: string }>(sql`SELECT string_agg(x::text, E'\n') AS r FROM ${sql.identifier(table)} x`))[0].r ?? '';
    expect(everything).toContain(summary); // the scan reads the tables
    for (const value of Object.values(marker)) expect(everything).not.toContain(value);
    // taken off the board: gone from it
    await ok(post(`/api/lists/wishes/${wish}`, { publicSummary: '' }, zhao));
    expect(await text('/api/lists/wishes/board')).not.toContain(summary);
  });

  it('is removed with the demo', async () => {
    await removeDemo(t.database);
    const [r] = await t.database.rows<{ n: number }>(sql`
      SELECT (SELECT count(*) FROM list_needs) + (SELECT count(*) FROM list_resources) + (SELECT count(*) FROM list_projects) + (SELECT count(*) FROM list_wishes) AS n`);
    expect(Number(r.n)).toBe(0);
  });
});
