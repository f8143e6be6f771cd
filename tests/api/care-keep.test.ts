import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, signIn } from '../helpers/staff.ts';
import type { CareHousehold, CarePlaces } from '../../api/contract/care.ts';

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
});
