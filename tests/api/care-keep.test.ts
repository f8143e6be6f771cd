import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, signIn } from '../helpers/staff.ts';
import { SseReader } from '../helpers/sse.ts';
import { createApp } from '../../api/app.ts';
import { defaultLimits } from '../../api/guard/limits.ts';
import type { WishBoard, WishRow } from '../../api/contract/lists.ts';
import { importAreas } from '../../api/import/areas.ts';
import { createAccount } from '../../api/auth/admin.ts';
import type { CareHousehold, CarePlaces } from '../../api/contract/care.ts';
import { careKeys, deriveKeys, nameIndex, readMasterKey, seal, unseal, type CareKeys } from '../../api/care/seal.ts';
import { RotationRefused, rotateKey, sealedColumns } from '../../api/care/rotate.ts';

// Keeping the care ledger and the wish board (issue 11): staff add and edit a household on /care
// (a colour change kept with who and when), and volunteers claim a published wish from the public
// board, which never shows the household, its words, exact place or the volunteer's phone.

const g01 = 'MS-XSL-G01';

describe.each(modes())('keeping the care ledger and the wish board on %s', (mode) => {
  let t: TestApp;
  let zhao: string; // grid worker of G01
  let secretary: string; // 学生路社区
  let otherSecretary: string; // 民主路社区
  let mediator: string;
  const tag = randomBytes(3).toString('hex');
  const get = (path: string, cookie?: string) => call(t, 'GET', path, { cookie });
  const post = (path: string, body: unknown, cookie?: string) => call(t, 'POST', path, { cookie, body });
  async function ok<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
    const r = await res;
    expect(r.status, await r.clone().text()).toBe(status);
    return r.json() as Promise<T>;
  }

  beforeAll(async () => {
    t = await openTestApp(mode);
    [zhao, secretary, otherSecretary, mediator] = await Promise.all(['xsl-g01-zhao', 'xsl-shuji', 'mzl-shuji', 'mediator'].map((u) => signIn(t, u)));
  });
  afterAll(async () => { await t?.close(); });

  describe('adding and editing a household', () => {
    let places: CarePlaces;
    let household: number;

    it("offers the form the grids, residential buildings and staff of the keeper's area only", async () => {
      places = await ok<CarePlaces>(get('/api/care/places', zhao));
      expect(places.grids.map((g) => g.id)).toEqual([g01]);
      expect(places.buildings.length).toBeGreaterThan(0);
      expect(new Set(places.buildings.map((b) => b.gridId))).toEqual(new Set([g01]));
      expect(places.workers.map((w) => w.id)).toContain((await t.database.rows<{ id: string }>(sql`SELECT staff_id AS id FROM accounts WHERE username = 'xsl-g01-zhao'`))[0].id);
      const street = await ok<CarePlaces>(get('/api/care/places', secretary));
      expect(street.grids.length).toBeGreaterThan(1);
      expect(street.grids.every((g) => g.id.startsWith('MS-XSL-'))).toBe(true);
      expect((await get('/api/care/places')).status).toBe(401);
      expect((await get('/api/care/places', mediator)).status).toBe(403);
    });

    it('adds a household with every field, sealed, audited, and its colour written down with who', async () => {
      const building = places.buildings[0].id;
      const body = {
        name: `新户${tag}`, idNumber: '110101194001011234', phone: '139 0000 7788', buildingId: building, room: '2单元301',
        scheme: 'five', colour: 'orange', categories: ['living_alone', 'disabled'], notes: `女儿在外地 ${tag}`,
      };
      household = (await ok<{ id: number }>(post('/api/care/households', body, secretary), 201)).id;
      const card = await ok<CareHousehold>(get(`/api/care/households/${household}`, zhao));
      expect(card).toMatchObject({ name: body.name, idNumber: body.idNumber, phone: body.phone, room: body.room, colour: 'orange', gridId: g01, buildingId: building, categories: body.categories });
      expect(card.workerId).not.toBeNull(); // by default the grid's worker
      expect(card.colourHistory).toEqual([{ at: expect.any(String), by: expect.any(String), from: null, to: 'orange', via: 'created' }]);
      const [stored] = await t.database.rows<Record<string, string>>(sql`SELECT * FROM care_households WHERE id = ${household}`);
      expect(JSON.stringify(stored)).not.toContain(tag);
      expect(JSON.stringify(stored)).not.toContain('7788');
      const events = await t.database.rows<{ action: string; note: string | null }>(sql`SELECT action, note FROM admin_events WHERE subject = ${`care:${household}`} ORDER BY id`);
      expect(events.map((e) => e.action)).toEqual(['care_created', 'care_read']);
      expect(JSON.stringify(events)).not.toContain(tag);
    });

    it('edits it: a colour change is kept with date and who, an edit without one adds none; erasing a phone', async () => {
      expect((await ok<{ ok: true }>(post(`/api/care/households/${household}`, { colour: 'green', room: '2单元302' }, zhao))).ok).toBe(true);
      expect((await ok(post(`/api/care/households/${household}`, { phone: '', notes: '已联系' }, zhao)))).toEqual({ ok: true });
      const card = await ok<CareHousehold>(get(`/api/care/households/${household}`, secretary));
      expect(card).toMatchObject({ colour: 'green', room: '2单元302', phone: null, notes: '已联系' });
      const [zhaoName] = await t.database.rows<{ name: string }>(sql`SELECT s.name FROM staff s JOIN accounts a ON a.staff_id = s.id WHERE a.username = 'xsl-g01-zhao'`);
      expect(card.colourHistory.map(({ by, from, to, via }) => ({ by, from, to, via }))).toEqual([
        { by: zhaoName.name, from: 'orange', to: 'green', via: 'edited' },
        { by: expect.any(String), from: null, to: 'orange', via: 'created' },
      ]);
      // a visit that changes the colour is in the history too, as the visit's
      await ok(post(`/api/care/households/${household}/visits`, { finding: '精神好', colour: 'yellow' }, zhao), 201);
      const after = await ok<CareHousehold>(get(`/api/care/households/${household}`, zhao));
      expect(after.colourHistory[0]).toMatchObject({ from: 'green', to: 'yellow', via: 'visit', by: zhaoName.name });
      const notes = await t.database.rows<{ note: string }>(sql`SELECT note FROM admin_events WHERE subject = ${`care:${household}`} AND action = 'care_updated' ORDER BY id`);
      expect(notes.map((n) => n.note)).toEqual(['room,colour', 'phone,notes']);
    });

    it('refuses bad input with stable codes and writes nothing; out of scope 403; anonymous 401', async () => {
      const building = places.buildings[0].id;
      const count = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care_households`))[0].n;
      const before = await count();
      const refused = async (body: unknown, code: string, status: number, cookie = zhao, path = '/api/care/households') => {
        const res = await post(path, body, cookie);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect((await res.json()).code).toBe(code);
      };
      await refused({ buildingId: building, colour: 'red' }, 'required', 400);
      await refused({ name: '某', buildingId: building, colour: 'red', phone: 'abc' }, 'invalid_value', 400);
      await refused({ name: '某', buildingId: building, colour: 'red', idNumber: '11-01' }, 'invalid_value', 400);
      await refused({ name: '某', buildingId: building, colour: 'purple' }, 'invalid_value', 400);
      await refused({ name: '某', buildingId: building, colour: 'blue', scheme: 'children' }, 'colour_not_in_scheme', 422);
      await refused({ name: '某', buildingId: 'no-such-building', colour: 'red' }, 'building_not_found', 404);
      await refused({ name: '某', buildingId: building, colour: 'red', workerId: 'nobody' }, 'unknown_assignee', 422);
      await refused({ name: '某', buildingId: building, colour: 'red', age: 80 }, 'unknown_field', 400);
      await refused({ name: '某', buildingId: building, colour: 'red' }, 'out_of_scope', 403, otherSecretary);
      await refused({ name: '某', buildingId: building, colour: 'red' }, 'sign_in_required', 401, '');
      await refused({ colour: 'blue', scheme: 'children' }, 'colour_not_in_scheme', 422, zhao, `/api/care/households/${household}`);
      await refused({ colour: 'red' }, 'out_of_scope', 403, otherSecretary, `/api/care/households/${household}`);
      await refused({ colour: 'red' }, 'sign_in_required', 401, '', `/api/care/households/${household}`);
      expect(await count()).toBe(before);
      const [h] = await t.database.rows<{ colour: string }>(sql`SELECT colour FROM care_households WHERE id = ${household}`);
      expect(h.colour).toBe('yellow');
    });
  });
  describe('volunteers claiming a wish from the public board', () => {
    let wish: number;
    let hidden: number; // a wish not on the board
    let building: { id: string; name: string; lon: number; lat: number };
    const summary = `帮独居老人修好收音机 ${tag}`; // the one thing published
    const marker = {
      wish: `心愿原话${tag} 想听戏`, household: `3号楼${tag}王奶奶`, note: `内部备注${tag}`,
      volunteer: `志愿者${tag}`, phone: `186 ${tag.replace(/\D/g, '6').slice(0, 3)}6 1234`.slice(0, 20),
    };
    const logged: string[] = [];
    const board = async (query = '') => ok<WishBoard>(get(`/api/lists/wishes/board${query}`));
    const onBoard = async () => (await board()).wishes.find((w) => w.id === wish);
    const staffWish = async (cookie: string) => (await ok<{ wishes: WishRow[] }>(get('/api/lists/wishes', cookie))).wishes.find((w) => w.id === wish);
    const code = async (res: Promise<Response>) => { const r = await res; return [r.status, (await r.json()).code]; };
    const claim = (id: number, body: unknown) => post(`/api/lists/wishes/${id}/claim`, body);

    beforeAll(async () => {
      for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
      }
      const [b] = await t.database.rows<{ id: string; name: string; lon: number; lat: number }>(sql`
        SELECT b.id, coalesce(b.name, b.number, b.id) AS name, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
        FROM buildings b CROSS JOIN LATERAL assign_point(ST_PointOnSurface(b.geom)) a WHERE a.grid_id = ${g01} AND b.use = 'residential' ORDER BY b.id LIMIT 1`);
      building = { id: b.id, name: b.name, lon: Number(b.lon), lat: Number(b.lat) };
      wish = (await ok<{ id: number }>(post('/api/lists/wishes', { buildingId: building.id, wish: marker.wish, household: marker.household, publicSummary: summary }, zhao), 201)).id;
      hidden = (await ok<{ id: number }>(post('/api/lists/wishes', { gridId: g01, wish: '不公开的心愿' }, zhao), 201)).id;
    });
    afterAll(() => vi.restoreAllMocks());

    it('shows the published summary with its community and grid, waiting; refuses bad claims with stable codes', async () => {
      expect(await onBoard()).toEqual({ id: wish, summary, gridName: '学生路社区第一网格', communityName: '学生路社区', status: 'posted', postedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect((await board()).wishes.find((w) => w.id === hidden)).toBeUndefined();
      expect(await code(claim(hidden, { name: '某', phone: '13800001111' }))).toEqual([404, 'wish_not_found']);
      expect(await code(claim(99999999, { name: '某', phone: '13800001111' }))).toEqual([404, 'wish_not_found']);
      expect(await code(claim(wish, { phone: '13800001111' }))).toEqual([400, 'required']);
      expect(await code(claim(wish, { name: '某', phone: 'call me' }))).toEqual([400, 'invalid_value']);
      expect(await code(claim(wish, { name: '某', phone: '13800001111', email: 'x@y' }))).toEqual([400, 'unknown_field']);
      expect((await onBoard())?.status).toBe('posted');
    });

    it('takes a claim (one of two), staff in scope see the volunteer and phone, decline it, take it again and confirm it', async () => {
      expect(await ok(claim(wish, { name: marker.volunteer, phone: marker.phone }), 201)).toEqual({ status: 'offered' });
      expect(await code(claim(wish, { name: '第二位', phone: '13800002222' }))).toEqual([409, 'wish_taken']);
      expect((await onBoard())?.status).toBe('offered');
      expect((await staffWish(zhao))?.offer).toEqual({ name: marker.volunteer, phone: marker.phone, at: expect.any(String) });
      expect(await staffWish(otherSecretary)).toBeUndefined();
      expect((await get('/api/lists/wishes')).status).toBe(401);
      expect((await get('/api/lists/wishes', mediator)).status).toBe(403);
      expect(await code(post(`/api/lists/wishes/${wish}/decline`, {}, otherSecretary))).toEqual([403, 'out_of_scope']);
      expect(await code(post(`/api/lists/wishes/${wish}/decline`, {}))).toEqual([401, 'sign_in_required']);
      expect(await ok(post(`/api/lists/wishes/${wish}/decline`, {}, zhao))).toEqual({ ok: true });
      expect(await code(post(`/api/lists/wishes/${wish}/decline`, {}, zhao))).toEqual([409, 'no_offer']);
      expect((await onBoard())?.status).toBe('posted');
      const [declined] = await t.database.rows<{ offer_name: string | null; claimant_phone_sealed: string | null }>(sql`SELECT offer_name, claimant_phone_sealed FROM list_wishes WHERE id = ${wish}`);
      expect(declined).toEqual({ offer_name: null, claimant_phone_sealed: null });

      await ok(claim(wish, { name: marker.volunteer, phone: marker.phone }), 201);
      expect(await ok(post(`/api/lists/wishes/${wish}/status`, { to: 'claimed' }, secretary))).toEqual({ status: 'claimed' });
      expect(await staffWish(zhao)).toMatchObject({ status: 'claimed', claimantKind: 'volunteer', claimantName: marker.volunteer, claimantPhone: marker.phone, offer: null });
      expect((await onBoard())?.status).toBe('claimed');
      expect(await code(claim(wish, { name: '第二位', phone: '13800002222' }))).toEqual([409, 'wish_taken']);
      await ok(post(`/api/lists/wishes/${wish}/status`, { to: 'fulfilled', note: marker.note }, zhao));
      expect((await onBoard())?.status).toBe('fulfilled');
      await ok(post(`/api/lists/wishes/${wish}/status`, { to: 'confirmed' }, zhao));
      expect((await onBoard())?.status).toBe('fulfilled');
    });

    it('limits claims per address with a limit of their own (RATE_LIMIT_WISH_CLAIMS), refused ones counted too', async () => {
      // on PostgreSQL the counts are shared in rate_counts, where this file's earlier claims (under the suite's lifted limits) were counted
      await t.database.rows(sql`DELETE FROM rate_counts`);
      const limited = createApp({ database: t.database, tiles: t.tiles, limits: { ...defaultLimits, wishClaims: 2 } });
      const send = () => limited.request(`http://localhost/api/lists/wishes/${hidden}/claim`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '某', phone: '13800001111' }) });
      expect([(await send()).status, (await send()).status]).toEqual([404, 404]);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect((await refused.json()).code).toBe('wish_claims_limited');
    });

    it('never shows the household, its words, place, staff notes or the volunteer in a public output, log or audit line', async () => {
      vi.restoreAllMocks();
      const text = async (path: string) => (await get(path)).text();
      const stream = new SseReader((await get('/api/events?lastEventId=0')).body!);
      const events = JSON.stringify(await stream.collect(1000));
      await stream.close();
      const z = 15;
      const x = Math.floor(((building.lon + 180) / 360) * 2 ** z);
      const lat = (building.lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
      const outputs: Record<string, string> = {
        board: await text('/api/lists/wishes/board'),
        boardCommunity: await text('/api/lists/wishes/board?community=MS-XSL'),
        publicStream: events,
        stats: await text('/api/stats'),
        search: await text(`/api/search?q=${encodeURIComponent(marker.volunteer)}`),
        open311: await text('/open311/v2/requests.json'),
        tile: Buffer.from(await (await get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer()).toString('utf8'),
        log: logged.join('\n'),
        audit: JSON.stringify(await t.database.rows(sql`SELECT * FROM admin_events WHERE subject = ${`wish:${wish}`}`)),
      };
      expect(outputs.board).toContain(summary);
      for (const [name, body] of Object.entries(outputs)) {
        for (const value of Object.values(marker)) expect(body, `${name} shows ${value}`).not.toContain(value);
        if (name.startsWith('board')) {
          expect(body, `${name} shows the building`).not.toContain(building.id);
          expect(body, `${name} shows the building`).not.toContain(`"${building.name}"`);
          expect(body).not.toMatch(/"(lon|lat|buildingId|household|wish|phone|claimantName|note)"/);
        }
      }
      const [stored] = await t.database.rows<Record<string, unknown>>(sql`SELECT * FROM list_wishes WHERE id = ${wish}`);
      for (const value of [marker.wish, marker.household, marker.phone]) expect(JSON.stringify(stored)).not.toContain(value);
    });
  });

  describe("a district's administrator", () => {
    let district: string;
    let other: string; // of a district holding no street of the demo
    beforeAll(async () => {
      const [ms] = await t.database.rows<{ g: string; name: string }>(sql`SELECT ST_AsGeoJSON(geom) AS g, name FROM areas WHERE id = 'MS'`);
      const feature = (properties: Record<string, unknown>, geometry: string) => ({ type: 'Feature', properties, geometry: JSON.parse(geometry) });
      const report = await importAreas(t.database, {
        type: 'FeatureCollection',
        features: [
          feature({ id: 'T-D', level: 'district', name: '测试区' }, ms.g),
          feature({ id: 'MS', level: 'street', name: ms.name, parentId: 'T-D' }, ms.g),
          feature({ id: 'T-E', level: 'district', name: '别的区' }, JSON.stringify({ type: 'Polygon', coordinates: [[[100, 30], [100.01, 30], [100.01, 30.01], [100, 30]]] })),
        ],
      } as GeoJSON.FeatureCollection, { crs: 'wgs84' });
      expect(report.errors).toEqual([]);
      const made = await createAccount(t.database, { username: 'qu-admin', role: 'street_admin', areaId: 'T-D', name: '区管理员', phone: null, phonePublic: false, actor: 'test' });
      district = await signIn(t, made.username, made.password);
      const otherMade = await createAccount(t.database, { username: 'qu-other', role: 'street_admin', areaId: 'T-E', name: '别区', phone: null, phonePublic: false, actor: 'test' });
      other = await signIn(t, otherMade.username, otherMade.password);
    });

    it('sees the lists and the care ledger of every street of the district, and writes none of them', async () => {
      const count = async (table: string) => (await t.database.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table} WHERE street_id = 'MS'`)))[0].n;
      const needs = await ok<{ needs: unknown[] }>(get('/api/lists/needs', district));
      expect(needs.needs.length).toBe(await count('list_needs'));
      expect(needs.needs.length).toBeGreaterThan(0);
      expect((await ok<{ wishes: unknown[] }>(get('/api/lists/wishes', district))).wishes.length).toBe(await count('list_wishes'));
      expect((await ok<{ resources: unknown[] }>(get('/api/lists/resources', district))).resources.length).toBe(await count('list_resources'));
      expect((await ok<{ projects: unknown[] }>(get('/api/lists/projects', district))).projects.length).toBe(await count('list_projects'));
      expect((await ok<{ grids: unknown[] }>(get('/api/lists/places', district))).grids.length).toBeGreaterThan(1);
      expect((await ok<{ households: unknown[] }>(get('/api/care/households', district))).households.length).toBe(await count('care_households'));
      // another district's administrator: nothing of these streets
      expect((await ok<{ needs: unknown[] }>(get('/api/lists/needs', other))).needs).toEqual([]);
      expect((await ok<{ households: unknown[] }>(get('/api/care/households', other))).households).toEqual([]);
      // reading is all: a need of a grid is written by its street's, community's or grid's staff
      const res = await post('/api/lists/needs', { gridId: g01, title: '区里写的', kind: 'elderly_meals' }, district);
      expect([res.status, (await res.json()).code]).toEqual([403, 'out_of_scope']);
    });
  });

  // last: after it, this process's cached key is the old one
  describe('rotating the care key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'care-key-'));
    const keyFile = join(dir, 'care.key');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Every sealed value of the database, as stored. */
    async function stored() {
      const all: { table: string; column: string; field: string; id: number; value: string }[] = [];
      for (const [table, columns] of Object.entries(sealedColumns) as [string, Record<string, string>][]) {
        for (const [column, field] of Object.entries(columns)) {
          const rows = await t.database.rows<{ id: number; v: string }>(sql.raw(`SELECT id, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL ORDER BY id`));
          all.push(...rows.map((r) => ({ table, column, field, id: Number(r.id), value: r.v })));
        }
      }
      return all;
    }
    const opened = (values: Awaited<ReturnType<typeof stored>>, keys: CareKeys) => values.map((v) => unseal(v.value, v.field, keys));

    it('knows every sealed column of the database', async () => {
      const columns = await t.database.rows<{ t: string; c: string }>(sql`
        SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND column_name LIKE '%\_sealed' ORDER BY 1, 2`);
      expect(columns.map((r) => `${r.t}.${r.c}`).sort())
        .toEqual(Object.entries(sealedColumns).flatMap(([table, cs]) => Object.keys(cs).map((c) => `${table}.${c}`)).sort());
    });

    it('refuses to start while one value does not open under the current key, changing nothing', async () => {
      writeFileSync(keyFile, `${process.env.CARE_KEY}\n`);
      const foreign = deriveKeys(randomBytes(32), 'elsewhere');
      const [h] = await t.database.rows<{ id: number }>(sql`SELECT id FROM care_households ORDER BY id LIMIT 1`);
      const [v] = await t.database.rows<{ id: number }>(sql`
        INSERT INTO care_visits (household_id, finding_sealed) VALUES (${h.id}, ${seal('另一把钥匙', 'finding', foreign)}) RETURNING id`);
      const before = await stored();
      const refused = await rotateKey(t.database, { CARE_KEY_FILE: keyFile }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RotationRefused);
      expect((refused as RotationRefused).unreadable).toEqual([{ table: 'care_visits', column: 'finding_sealed', rows: 1 }]);
      expect(await stored()).toEqual(before);
      expect(readFileSync(keyFile, 'utf8').trim()).toBe(process.env.CARE_KEY);
      expect(readdirSync(dir)).toEqual(['care.key']);
      await t.database.rows(sql`DELETE FROM care_visits WHERE id = ${v.id}`);
    });

    it('re-seals every value under a new key in one go: readable with the new key only; the old key file kept as a backup', async () => {
      const old = careKeys();
      const before = await stored();
      const plain = opened(before, old);
      expect(plain.every((p) => p !== null)).toBe(true);
      const done = await rotateKey(t.database, { CARE_KEY_FILE: keyFile });
      expect(done.tables.care_households).toBeGreaterThan(0);
      expect(done.tables.list_wishes).toBeGreaterThan(0);
      const fresh = deriveKeys(readMasterKey(readFileSync(keyFile, 'utf8'), keyFile), keyFile);
      expect(readFileSync(done.backup!, 'utf8').trim()).toBe(process.env.CARE_KEY);
      expect(readdirSync(dir).sort()).toEqual(['care.key', done.backup!.slice(dir.length + 1)].sort());
      const after = await stored();
      expect(after.map((a) => `${a.table}.${a.column}:${a.id}`)).toEqual(before.map((b) => `${b.table}.${b.column}:${b.id}`));
      expect(opened(after, fresh)).toEqual(plain);
      expect(opened(after, old).filter((p) => p !== null)).toEqual([]);
      // the name index follows the new key: a household is found by its exact name with the new key only
      const [row] = await t.database.rows<{ name_sealed: string; name_index: string }>(sql`SELECT name_sealed, name_index FROM care_households ORDER BY id LIMIT 1`);
      const name = unseal(row.name_sealed, 'name', fresh)!;
      expect(row.name_index).toBe(nameIndex(name, fresh));
      expect(row.name_index).not.toBe(nameIndex(name, old));
    });
  });
});
