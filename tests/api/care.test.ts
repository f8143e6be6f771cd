import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { call, signIn } from '../helpers/staff.ts';
import { careSchemes, type CareColour, type CareHouseholdRow } from '../../api/contract/care.ts';
import { removeDemo } from '../../api/demo/mode.ts';
import { careKeyWarning } from '../../api/care/ledger.ts';
import { seal } from '../../api/care/seal.ts';

// The care ledger (issue 11 §2, docs/care.md): every endpoint refuses the anonymous (401) and the
// out of scope (403); each read of a household is audited without its name; the personal fields
// are not in the database as written; and a household with marker fields is looked for in every
// public output, the wall's, the server's log lines and the audit trail — never found.

const g01 = 'MS-XSL-G01';

describe.each(modes())('the care ledger on %s', (mode) => {
  let t: TestApp;
  let zhao: string; // grid worker of G01
  let zhouG02: string; // grid worker of G02
  let secretary: string; // 学生路社区
  let otherSecretary: string; // 民主路社区
  let admin: string; // the street
  let mediator: string;
  let building: { id: string; lon: number; lat: number };
  let household: number;
  const tag = randomBytes(3).toString('hex');
  const marker = {
    name: `隐私甲${tag}`,
    idNumber: `11010119400101${tag.slice(0, 4).toUpperCase()}`.slice(0, 18),
    phone: `137 7${tag.replace(/\D/g, '7').slice(0, 3)} 4455`,
    room: `9单元9${tag}`,
    notes: `标记备注${tag} 子女不在身边`,
    finding: `标记走访${tag} 老人摔倒过一次`,
  };
  const logged: string[] = [];
  const get = (path: string, cookie?: string) => call(t, 'GET', path, { cookie });
  const post = (path: string, body: unknown, cookie?: string) => call(t, 'POST', path, { cookie, body });

  beforeAll(async () => {
    t = await openTestApp(mode);
    [zhao, zhouG02, secretary, otherSecretary, admin, mediator] = await Promise.all(
      ['xsl-g01-zhao', 'xsl-g02-zhou', 'xsl-shuji', 'mzl-shuji', 'admin', 'mediator'].map((u) => signIn(t, u)));
    const [b] = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT b.id, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
      FROM buildings b CROSS JOIN LATERAL assign_point(ST_PointOnSurface(b.geom)) a
      WHERE a.grid_id = ${g01} AND b.use = 'residential' ORDER BY b.id DESC LIMIT 1`);
    building = { id: b.id, lon: Number(b.lon), lat: Number(b.lat) };
    // every line the server writes while the marker household is written, read and visited
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
    }
    const res = await post('/api/care/households', {
      name: marker.name, idNumber: marker.idNumber, phone: marker.phone, room: marker.room, notes: marker.notes,
      buildingId: building.id, colour: 'red', categories: ['living_alone', 'very_old'],
    }, zhao);
    expect(res.status, await res.clone().text()).toBe(201);
    household = (await res.json()).id;
    expect((await get(`/api/care/households/${household}`, zhao)).status).toBe(200);
    expect((await post(`/api/care/households/${household}/visits`, { finding: marker.finding, colour: 'orange' }, zhao)).status).toBe(201);
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  it('answers the anonymous 401 and staff who keep no ledger here 403, at every endpoint', async () => {
    const reads = ['/api/care/households', `/api/care/households/${household}`, '/api/care/due', '/api/care/map', '/api/care/counts'];
    for (const path of reads) {
      expect((await get(path)).status, path).toBe(401);
      expect((await get(path, mediator)).status, path).toBe(403);
    }
    const writes: [string, unknown][] = [
      ['/api/care/households', { name: '某某', buildingId: building.id, colour: 'red' }],
      [`/api/care/households/${household}`, { colour: 'green' }],
      [`/api/care/households/${household}/visits`, { finding: '看望' }],
    ];
    for (const [path, body] of writes) {
      expect((await post(path, body)).status, path).toBe(401);
      expect((await post(path, body, mediator)).status, path).toBe(403);
    }
    // out of scope: another grid's worker, another community's secretary
    for (const cookie of [zhouG02, otherSecretary]) {
      expect((await get(`/api/care/households/${household}`, cookie)).status).toBe(403);
      expect((await post(`/api/care/households/${household}`, { colour: 'green' }, cookie)).status).toBe(403);
      expect((await post(`/api/care/households/${household}/visits`, { finding: '看望' }, cookie)).status).toBe(403);
      expect((await post('/api/care/households', { name: '某某', buildingId: building.id, colour: 'red' }, cookie)).status).toBe(403);
    }
    expect((await get('/api/care/households/999999', zhao)).status).toBe(404);
    expect((await get('/api/care/counts?kiosk=not-a-token')).status).toBe(403);
  });

  it('lists to each keeper the households of their own area only', async () => {
    const areasOf = async (cookie: string) => {
      const body = await (await get('/api/care/households', cookie)).json();
      return { body, rows: body.households as { id: number; gridId: string }[] };
    };
    const worker = await areasOf(zhao);
    expect(worker.rows.length).toBeGreaterThan(1);
    expect(new Set(worker.rows.map((r) => r.gridId))).toEqual(new Set([g01]));
    expect(worker.rows.map((r) => r.id)).toContain(household);
    const community = await areasOf(secretary);
    expect(community.rows.every((r) => r.gridId.startsWith('MS-XSL-'))).toBe(true);
    expect(community.rows.length).toBeGreaterThan(worker.rows.length);
    const other = await areasOf(otherSecretary);
    expect(other.rows.some((r) => r.gridId.startsWith('MS-XSL-'))).toBe(false);
    expect(other.rows.length).toBeGreaterThan(0);
    const street = await areasOf(admin);
    expect(street.rows.length).toBe(Number((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care_households WHERE street_id = 'MS'`))[0].n));
    // the counts per colour add up, and the map has a point for each listed household
    expect(Object.values(community.body.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(community.rows.length);
    const map = await (await get('/api/care/map', zhao)).json();
    expect(map.features.map((f: { id: number }) => f.id).sort()).toEqual(worker.rows.map((r) => r.id).sort());
  });

  it('shows the card in scope, with the fields as written and the visit, and finds it by exact name', async () => {
    const card = await (await get(`/api/care/households/${household}`, secretary)).json();
    expect(card).toMatchObject({
      name: marker.name, idNumber: marker.idNumber, phone: marker.phone, room: marker.room, notes: marker.notes,
      colour: 'orange', gridId: g01, workerId: 'MS-S007', state: 'ok',
    });
    expect(card.visits[0]).toMatchObject({ finding: marker.finding, colourBefore: 'red', colourAfter: 'orange', workerId: 'MS-S007' });
    const found = await (await get(`/api/care/households?name=${encodeURIComponent(marker.name)}`, secretary)).json();
    expect(found.households.map((h: { id: number }) => h.id)).toEqual([household]);
    const none = await (await get(`/api/care/households?name=${encodeURIComponent(marker.name.slice(0, -1))}`, secretary)).json();
    expect(none.households).toEqual([]);
  });

  it('audits each read of a household: who and when, which household, never the name', async () => {
    const before = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM admin_events WHERE action = 'care_read' AND subject = ${`care:${household}`}`);
    await get(`/api/care/households/${household}`, admin);
    await get(`/api/care/households/${household}`, zhouG02); // refused: not a read
    const reads = await t.database.rows<{ actor: string; at: string }>(sql`
      SELECT actor, at FROM admin_events WHERE action = 'care_read' AND subject = ${`care:${household}`} ORDER BY id`);
    expect(reads.length).toBe(Number(before[0].n) + 1);
    expect(reads.at(-1)!.actor).toBe('admin');
    const trail = JSON.stringify(await t.database.rows(sql`SELECT * FROM admin_events`));
    for (const value of Object.values(marker)) expect(trail).not.toContain(value);
  });

  it('keeps no name, ID number, phone, room, note or finding in the database as written', async () => {
    const tables = await t.database.rows<{ t: string }>(sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    let everything = '';
    for (const { t: table } of tables) {
      const rows = await t.database.rows<{ r: string }>(sql`SELECT string_agg(x::text, E'\n') AS r FROM ${sql.identifier(table)} x`);
      everything += rows[0].r ?? '';
    }
    expect(everything).toContain(`care:${household}`); // the scan reads the tables
    for (const value of [...Object.values(marker), marker.phone.replace(/ /g, '')]) expect(everything).not.toContain(value);
    if (t.database.dump) {
      const files = gunzipSync(Buffer.from(await (await t.database.dump()).arrayBuffer()));
      for (const value of Object.values(marker)) expect(files.includes(Buffer.from(value)), value).toBe(false);
    }
  });

  it('shows no marker field in any public output, tile, stream, Open311, export or the wall, nor in a log line', async () => {
    const text = async (path: string, cookie?: string) => (await get(path, cookie)).text();
    const replay = async (query: string) => {
      const res = await get(`/api/events?lastEventId=0${query}`);
      const stream = new SseReader(res.body!);
      const events = await stream.collect(1500);
      await stream.close();
      return JSON.stringify(events);
    };
    const tile = async (z: number) => {
      const n = 2 ** z;
      const x = Math.floor(((building.lon + 180) / 360) * n);
      const latRad = (building.lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
      return Buffer.from(await (await get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer()).toString('latin1')
        + Buffer.from(await (await get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer()).toString('utf8');
    };
    const xlsx = async () => {
      const res = await get(`/api/reports/monthly.xlsx?month=${new Date().toISOString().slice(0, 7)}`, admin);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await res.arrayBuffer());
      const cells: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => { cells.push(String(cell.value)); })));
      return cells.join('\n');
    };
    const collections = JSON.parse(await text('/api/collections')).collections.map((c: { id: string }) => c.id) as string[];
    const outputs: Record<string, string> = {
      stats: await text('/api/stats'),
      kioskStats: await text('/api/stats?kiosk=demo-wall-xsl'),
      wallCounts: await text('/api/care/counts?kiosk=demo-wall-xsl'),
      publicStream: await replay(''),
      kioskStream: await replay('&kiosk=demo-wall-xsl'),
      search: await text(`/api/search?q=${encodeURIComponent(marker.name)}`),
      searchRoom: await text(`/api/search?q=${encodeURIComponent(marker.room)}`),
      open311: await text('/open311/v2/requests.json'),
      tile16: await tile(16),
      tile14: await tile(14),
      monthlyReport: await xlsx(),
      staffQueue: await text('/api/staff/requests', zhao),
      log: logged.join('\n'),
    };
    for (const id of collections) outputs[`collection ${id}`] = await text(`/api/collections/${id}/items?limit=10000`);
    for (const [name, body] of Object.entries(outputs)) {
      for (const value of Object.values(marker)) expect(body, `${name} shows ${value}`).not.toContain(value);
      expect(body, name).not.toContain(`care:${household}`);
    }
    // the wall's share: counts per grid and colour, no id, no point, no name
    const counts = JSON.parse(outputs.wallCounts) as { gridId: string; colour: string; households: number }[];
    expect(counts.length).toBeGreaterThan(0);
    for (const row of counts) expect(Object.keys(row).sort()).toEqual(['colour', 'gridId', 'households']);
    expect(counts.every((r) => r.gridId.startsWith('MS-XSL-'))).toBe(true);
    expect(counts.find((r) => r.gridId === g01 && r.colour === 'orange')?.households).toBeGreaterThan(0);
  });

  it('owes visits by colour: overdue ones per worker, and a visit that turns a household green moves it off the list', async () => {
    const due = await (await get('/api/care/due', secretary)).json();
    expect(due.workers.length).toBeGreaterThan(0);
    const every: CareHouseholdRow[] = due.workers.flatMap((w: { households: CareHouseholdRow[] }) => w.households);
    expect(every.some((h) => h.state === 'overdue')).toBe(true);
    for (const h of every) {
      // due = last visit (or creation) + the colour's frequency; overdue means that day has passed
      const days = (careSchemes[h.scheme] as readonly CareColour[]).find((c) => c.colour === h.colour)!.everyDays;
      if (h.lastVisitAt) expect(Date.parse(h.dueAt) - Date.parse(h.lastVisitAt)).toBe(days * 86_400_000);
      expect(h.state === 'overdue').toBe(Date.parse(h.dueAt) < Date.now());
    }
    const late = every.find((h) => h.state === 'overdue')!;
    expect(late).toBeTruthy();
    expect((await post(`/api/care/households/${late.id}/visits`, { finding: '已上门，情况稳定', colour: 'green' }, secretary)).status).toBe(201);
    const after = await (await get('/api/care/due', secretary)).json();
    expect(after.workers.flatMap((w: { households: { id: number }[] }) => w.households).map((h: { id: number }) => h.id)).not.toContain(late.id);
    const map = await (await get('/api/care/map', secretary)).json();
    expect(map.features.find((f: { id: number }) => f.id === late.id).properties).toMatchObject({ colour: 'green', state: 'ok', hex: '#2e9e4f' });
  });

  it('edits the fields given, erases a phone on "", and audits which fields changed', async () => {
    const res = await post(`/api/care/households/${household}`, { phone: '', categories: ['living_alone'], workerId: 'MS-S008' }, secretary);
    expect(res.status, await res.clone().text()).toBe(200);
    const card = await (await get(`/api/care/households/${household}`, zhao)).json();
    expect(card).toMatchObject({ phone: null, idNumber: marker.idNumber, categories: ['living_alone'], workerId: 'MS-S008', name: marker.name });
    const [edit] = await t.database.rows<{ actor: string; note: string }>(sql`
      SELECT actor, note FROM admin_events WHERE action = 'care_updated' AND subject = ${`care:${household}`} ORDER BY id DESC LIMIT 1`);
    expect(edit).toEqual({ actor: 'xsl-shuji', note: 'phone,categories,workerId' });
    // a worker from another street is refused
    expect((await (await post(`/api/care/households/${household}`, { workerId: 'NO-SUCH' }, secretary)).json()).code).toBe('unknown_assignee');
    expect((await (await post(`/api/care/households/${household}`, { scheme: 'children', colour: 'blue' }, secretary)).json()).code).toBe('colour_not_in_scheme');
  });

  it('refuses what does not fit with a stable code, writing nothing', async () => {
    const count = async () => Number((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care_households`))[0].n);
    const n = await count();
    const bad: [unknown, number, string][] = [
      [{ name: '某某', buildingId: building.id, colour: 'blue', scheme: 'children' }, 422, 'colour_not_in_scheme'],
      [{ name: '某某', buildingId: 'NO-SUCH', colour: 'red' }, 404, 'building_not_found'],
      [{ name: '某某', buildingId: building.id, colour: 'purple' }, 400, 'invalid_value'],
      [{ name: '', buildingId: building.id, colour: 'red' }, 400, 'required'],
      [{ name: '某某', buildingId: building.id, colour: 'red', idNumber: '12' }, 400, 'invalid_value'],
      [{ name: '某某', buildingId: building.id, colour: 'red', secret: 1 }, 400, 'unknown_field'],
    ];
    for (const [body, status, code] of bad) {
      const res = await post('/api/care/households', body, zhao);
      expect([res.status, (await res.json()).code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await post(`/api/care/households/${household}/visits`, { finding: '' }, zhao)).status).toBe(400);
    expect(await count()).toBe(n);
  });

  it('tells at start when the ledger was sealed under another key, without a name', async () => {
    expect(await careKeyWarning(t.database)).toBeNull();
    const other = { seal: randomBytes(32), index: randomBytes(32), source: 'another' };
    const [first] = await t.database.rows<{ id: number; name_sealed: string }>(sql`SELECT id, name_sealed FROM care_households ORDER BY id LIMIT 1`);
    await t.database.rows(sql`UPDATE care_households SET name_sealed = ${seal(marker.name, 'name', other)} WHERE id = ${first.id}`);
    const warning = await careKeyWarning(t.database);
    expect(warning).toMatch(/sealed under another key/);
    expect(warning).not.toContain(marker.name);
    const card = await (await get(`/api/care/households/${first.id}`, admin)).json();
    expect(card.name).toBeNull(); // read as "cannot be decrypted", not as garbage or a 500
    await t.database.rows(sql`UPDATE care_households SET name_sealed = ${first.name_sealed} WHERE id = ${first.id}`);
  });

  it('is removed with the demo', async () => {
    await removeDemo(t.database);
    const [r] = await t.database.rows<{ h: number; v: number }>(sql`SELECT (SELECT count(*) FROM care_households)::int AS h, (SELECT count(*) FROM care_visits)::int AS v`);
    expect([Number(r.h), Number(r.v)]).toEqual([0, 0]);
  });
});
