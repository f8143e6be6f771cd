import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import gcoord from 'gcoord';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { lookupLimit } from '../../api/loop/lookup-code.ts';

// Issue 10: the worker finds the place (nearest building, navigation links), the request carries
// the building the resident picked, staff record requests for residents (intake), and a resident
// reaches their ticket on another phone with a lookup code.

/** A building of the demo and a point on it (PostGIS picks the point). */
async function aBuilding(t: TestApp, id = 'MS-C001-B03') {
  const [b] = await t.database.rows<{ lon: number; lat: number; number: string; compound: string }>(sql`
    SELECT ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat, b.number, c.name AS compound
    FROM buildings b JOIN compounds c ON c.id = b.compound_id WHERE b.id = ${id}`);
  return { id, lon: Number(b.lon), lat: Number(b.lat), number: b.number, compound: b.compound };
}

describe.each(modes())('the worker\'s place, staff intake and lookup codes on %s', (mode) => {
  let t: TestApp;
  let worker: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    worker = await signIn(t, 'xsl-g01-zhao');
  });
  afterAll(async () => { await t?.close(); });

  const detail = (ticket: string, cookie = worker) => call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie });
  const intake = (body: unknown, cookie = worker) => call(t, 'POST', '/api/staff/requests', { cookie: cookie || undefined, body });
  const lookup = (ticket: string, code: unknown) => t.post(`/api/requests/${ticket}/lookup`, { code });

  describe('the place in the staff detail', () => {
    it('names the nearest building with its number and compound, and links Amap and Baidu with converted points', async () => {
      const b = await aBuilding(t);
      const filed = (await (await t.post('/api/requests', { category: 'clutter', description: '楼道堆满杂物', lon: b.lon, lat: b.lat })).json()) as any;
      const res = await detail(filed.ticket);
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.nearBuilding).toMatchObject({ id: b.id, number: b.number, compound: b.compound, distanceMeters: 0 });
      expect(body.building).toBeNull(); // not picked by search
      const position = new URL(body.navigation.amap).searchParams.get('position')!.split(',').map(Number);
      const gcj = gcoord.transform([b.lon, b.lat], gcoord.WGS84, gcoord.GCJ02);
      expect(position[0]).toBeCloseTo(gcj[0], 5);
      expect(position[1]).toBeCloseTo(gcj[1], 5);
      expect(new URL(body.navigation.amap).searchParams.get('name')).toBe(`${b.compound} ${b.number}`);
      const location = new URL(body.navigation.baidu).searchParams.get('location')!.split(',').map(Number);
      const bd = gcoord.transform([b.lon, b.lat], gcoord.WGS84, gcoord.BD09);
      expect(location[0]).toBeCloseTo(bd[1], 5); // Baidu: latitude first
      expect(location[1]).toBeCloseTo(bd[0], 5);
    });

    it('names no building when none lies within 50 m', async () => {
      const filed = await fileIn(t, 'MS-XSL-G01');
      const [far] = await t.database.rows<{ d: number }>(sql`
        SELECT min(ST_Distance(b.geom::geography, r.geom::geography)) AS d FROM buildings b, requests r WHERE r.ticket = ${filed.ticket}`);
      const body = (await (await detail(filed.ticket)).json()) as any;
      if (Number(far.d) > 50) expect(body.nearBuilding).toBeNull();
      else expect(body.nearBuilding.distanceMeters).toBeLessThanOrEqual(50);
    });

    it('shows staff the building a resident picked by search, and the public nothing of it', async () => {
      const b = await aBuilding(t, 'MS-C001-B02');
      const res = await t.post('/api/requests', { category: 'leaking_roof', description: '顶楼漏水', lon: b.lon, lat: b.lat, buildingId: b.id });
      expect(res.status).toBe(201);
      const filed = (await res.json()) as any;
      const body = (await (await detail(filed.ticket)).json()) as any;
      expect(body.building).toEqual({ id: b.id, number: b.number, name: expect.any(String), compound: b.compound, distanceMeters: null });
      const open = await (await t.get(`/api/requests/${filed.ticket}`)).text();
      expect(open).not.toContain(b.id);
    });

    it('refuses an unknown building by code and a hostile id by its form, writing nothing', async () => {
      const b = await aBuilding(t);
      const [{ n: before }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests`);
      const unknown = await t.post('/api/requests', { category: 'clutter', description: '杂物', lon: b.lon, lat: b.lat, buildingId: 'MS-NOPE' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'building_not_found', field: 'buildingId' });
      const hostile = await t.post('/api/requests', { category: 'clutter', description: '杂物', lon: b.lon, lat: b.lat, buildingId: "x' OR 1=1 --" });
      expect(hostile.status).toBe(400);
      expect(await hostile.json()).toMatchObject({ code: 'invalid_value', field: 'buildingId' });
      const [{ n: after }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests`);
      expect(after).toBe(before);
    });

    it('answers 403 for a request outside the worker\'s grid and 404 for no such ticket', async () => {
      const other = await fileIn(t, 'MS-XSL-G02');
      expect(await (await detail(other.ticket)).json()).toMatchObject({ code: 'out_of_scope' });
      const none = await detail('GM20260101-9999');
      expect(none.status).toBe(404);
      expect(await none.json()).toMatchObject({ code: 'request_not_found' });
    });
  });

  describe('staff intake', () => {
    it('records a 12345 transfer for a resident: the channel, the case number, the staff member in the audit event', async () => {
      const b = await aBuilding(t);
      const res = await intake({
        category: 'noise', description: '12345转办：夜间装修噪音', lon: b.lon, lat: b.lat, buildingId: b.id,
        channel: 'hotline', channelRef: 'RX2026120700123', reporterName: '王阿姨MARKER', contact: '13912345678',
      });
      expect(res.status).toBe(201);
      const filed = (await res.json()) as any;
      expect(filed.lookupCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
      const body = (await (await detail(filed.ticket)).json()) as any;
      expect(body).toMatchObject({ channel: 'hotline', channelRef: 'RX2026120700123', reporterName: '王阿姨MARKER', contact: '13912345678' });
      expect(body.events[0]).toMatchObject({ action: 'filed', actor: 'MS-S007', actorName: '赵和睦', note: 'hotline' });
      // the name stays private: not on the public ticket, the collection, nor the stream's rows
      for (const path of [`/api/requests/${filed.ticket}`, `/api/collections/requests/items/${filed.ticket}`]) {
        expect(await (await t.get(path)).text()).not.toContain('MARKER');
      }
    });

    it('takes a chat-group message and a field visit without a name or phone', async () => {
      const b = await aBuilding(t);
      for (const channel of ['group', 'visit']) {
        const res = await intake({ category: 'clutter', description: '群里说：3号楼楼道堆满纸箱', lon: b.lon, lat: b.lat, channel });
        expect(res.status).toBe(201);
        const body = (await (await detail(((await res.json()) as any).ticket)).json()) as any;
        expect(body).toMatchObject({ channel, reporterName: null, contact: null, channelRef: null });
      }
    });

    it('asks for the channel, refuses a resident\'s channel and unknown fields, and needs a signed-in staff member', async () => {
      const b = await aBuilding(t);
      const base = { category: 'clutter', description: '杂物堆放', lon: b.lon, lat: b.lat };
      expect(await (await intake(base)).json()).toMatchObject({ code: 'required', field: 'channel' });
      expect(await (await intake({ ...base, channel: 'qr' })).json()).toMatchObject({ code: 'invalid_value', field: 'channel' });
      expect(await (await intake({ ...base, channel: 'visit', assigneeId: 'MS-S001' })).json()).toMatchObject({ code: 'unknown_field' });
      expect(await (await intake({ ...base, channel: 'visit', channelRef: 'x'.repeat(41) })).json()).toMatchObject({ code: 'too_long', field: 'channelRef' });
      const anonymous = await intake({ ...base, channel: 'visit' }, '');
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'sign_in_required' });
    });

    it('refuses a point outside the street with its code', async () => {
      const res = await intake({ category: 'clutter', description: '杂物堆放', lon: 116.4, lat: 39.9, channel: 'phone' });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'outside_service_area' });
    });
  });

  describe('the lookup code', () => {
    it('is given at filing and on the reporter\'s own view, and opens that view on another phone', async () => {
      const filed = await fileIn(t, 'MS-XSL-G01', { description: '下水道堵了LOOKUPMARKER' });
      expect(filed.lookupCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
      const own = (await (await t.get(`/api/requests/${filed.ticket}?token=${filed.reportToken}`)).json()) as any;
      expect(own.lookupCode).toBe(filed.lookupCode);
      // a bare ticket number still shows only the public view
      const bare = await (await t.get(`/api/requests/${filed.ticket}`)).text();
      expect(bare).not.toContain('LOOKUPMARKER');
      expect(bare).not.toContain(filed.lookupCode);
      // typed as people type it: lower case, a dash in the middle
      const typed = `${filed.lookupCode.slice(0, 4)}-${filed.lookupCode.slice(4)}`.toLowerCase();
      const res = await lookup(filed.ticket, typed);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ticket: filed.ticket, reportToken: filed.reportToken });
    });

    it('gives each ticket its own code and stores none', async () => {
      const a = await fileIn(t, 'MS-XSL-G01');
      const b = await fileIn(t, 'MS-XSL-G01');
      expect(a.lookupCode).not.toBe(b.lookupCode);
      expect(await (await lookup(b.ticket, a.lookupCode)).json()).toMatchObject({ code: 'wrong_lookup_code' });
      const hits = await t.database.rows(sql`SELECT 1 FROM requests r WHERE r::text LIKE ${'%' + a.lookupCode + '%'} LIMIT 1`);
      expect(hits).toEqual([]);
    });

    it(`stops after ${lookupLimit.tries} wrong codes, even the right one, for that ticket only`, async () => {
      const filed = await fileIn(t, 'MS-XSL-G01');
      const other = await fileIn(t, 'MS-XSL-G01');
      const wrong = await Promise.all(Array.from({ length: lookupLimit.tries + 2 }, () => lookup(filed.ticket, 'AAAAAAAA')));
      const statuses = wrong.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 403)).toHaveLength(lookupLimit.tries);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      const right = await lookup(filed.ticket, filed.lookupCode);
      expect(right.status).toBe(429);
      expect(await right.json()).toMatchObject({ code: 'too_many_attempts', retryAfterMinutes: lookupLimit.windowMinutes });
      expect((await lookup(other.ticket, other.lookupCode)).status).toBe(200);
      // the window passes: the right code works again and clears the count
      await t.database.rows(sql`UPDATE requests SET code_failed_at = now() - interval '16 minutes' WHERE ticket = ${filed.ticket} RETURNING id`);
      expect((await lookup(filed.ticket, filed.lookupCode)).status).toBe(200);
    });

    it('refuses a missing or hostile code by its form, and an unknown ticket with 404', async () => {
      const filed = await fileIn(t, 'MS-XSL-G01');
      expect(await (await lookup(filed.ticket, '')).json()).toMatchObject({ code: 'required', field: 'code' });
      expect(await (await lookup(filed.ticket, 42)).json()).toMatchObject({ field: 'code' });
      expect(await (await lookup(filed.ticket, 'x'.repeat(41))).json()).toMatchObject({ code: 'too_long', field: 'code' });
      expect(await (await lookup('GM20260101-9999', 'ABCDEFGH')).json()).toMatchObject({ code: 'request_not_found' });
      expect(await (await lookup("'; DROP TABLE requests; --", 'ABCDEFGH')).json()).toMatchObject({ code: 'request_not_found' });
    });
  });
});
