import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, pointIn, signIn } from '../helpers/staff.ts';
import { requestCategoryRules as categoryDeadlines } from '../../api/contract/vocabulary.ts';

describe.each(modes())('the loop as residents see it on %s', (mode) => {
  let t: TestApp;
  let worker: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    worker = await signIn(t, 'xsl-g01-zhao');
  });
  afterAll(async () => { await t?.close(); });

  const staff = (ticket: string, action: string, body: unknown = {}) => call(t, 'POST', `/api/staff/requests/${ticket}/${action}`, { cookie: worker, body });
  /** a request the worker has claimed, handled and resolved */
  async function resolvedRequest(extra: Record<string, unknown> = {}) {
    const filed = await fileIn(t, 'MS-XSL-G01', extra);
    await staff(filed.ticket, 'claim');
    await staff(filed.ticket, 'status', { to: 'resolving' });
    const res = await staff(filed.ticket, 'status', { to: 'resolved', outcome: '已疏通，管道畅通' });
    expect(res.status).toBe(200);
    return filed;
  }
  const rate = (ticket: string, token: string, body: unknown) => t.post(`/api/requests/${ticket}/rating?token=${token}`, body);

  describe('filing', () => {
    it('answers a secret report token, the claim deadline of the category, and no contact', async () => {
      const filed = await fileIn(t, 'MS-XSL-G01', { category: 'street_light', contact: '139-8888-7777' });
      expect(filed.reportToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const minutes = (new Date(filed.claimDeadline).getTime() - new Date(filed.createdAt).getTime()) / 60_000;
      expect(minutes).toBeCloseTo(categoryDeadlines.street_light.claimMinutes, 0);
      expect(JSON.stringify(filed)).not.toContain('139-8888-7777');
    });

    it('gives each ticket its own token and stores none of them', async () => {
      const a = await fileIn(t, 'MS-XSL-G01');
      const b = await fileIn(t, 'MS-XSL-G01');
      expect(a.reportToken).not.toBe(b.reportToken);
      const hits = await t.database.rows(sql`
        SELECT 1 FROM requests r, request_events e WHERE r::text LIKE ${'%' + a.reportToken + '%'} OR e::text LIKE ${'%' + a.reportToken + '%'} LIMIT 1`);
      expect(hits).toEqual([]);
    });

    it('offers open requests of the same category within 50 m, nearest first, and not other categories', async () => {
      const first = await fileIn(t, 'MS-XSL-G03', { category: 'clutter', description: '楼道堆满纸箱' });
      const second = await fileIn(t, 'MS-XSL-G03', { category: 'clutter', description: '同一个楼道堆满杂物' });
      // public fields only: the first reporter's words are not shown to whoever files next
      expect(second.similar).toContainEqual({ ticket: first.ticket, description: null, status: 'collected', createdAt: expect.any(String), meToo: 0, distanceMeters: 0 });
      expect(second.similar.map((s: any) => s.ticket)).not.toContain(second.ticket);
      const noise = await fileIn(t, 'MS-XSL-G03', { category: 'noise' });
      expect(noise.similar.map((s: any) => s.ticket)).not.toContain(first.ticket);
    });

    it('lists the similar requests nearest first, as the map was before the filing', async () => {
      const p = await pointIn(t, 'MS-XSL-G05');
      const east = { lon: p.lon + 0.0002, lat: p.lat }; // ≈ 18 m east
      const far = await fileIn(t, 'MS-XSL-G05', { category: 'leaking_roof', ...east });
      const near = await fileIn(t, 'MS-XSL-G05', { category: 'leaking_roof', ...p });
      const third = await fileIn(t, 'MS-XSL-G05', { category: 'leaking_roof', ...p });
      expect(third.similar.map((s: any) => s.ticket)).toEqual([near.ticket, far.ticket]);
      expect(third.similar.map((s: any) => s.distanceMeters)).toEqual([0, expect.closeTo(18, -1)]);
      expect(near.similar.map((s: any) => s.ticket)).toEqual([far.ticket]);
    });

    it.runIf(mode === 'postgres')('keeps the filing statement\'s plan: planned for its values five times, then a generic plan', async () => {
      for (let i = 0; i < 12; i++) await fileIn(t, 'MS-XSL-G06', { category: 'street_light' });
      // the kept plans' connections (Database.keptRows): each answers for its own prepared statements
      const seen = [];
      for (let i = 0; i < 4; i++) {
        seen.push(...await t.database.keptRows!<{ generic: number; custom: number }>(sql`
          SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO requests%'`));
      }
      expect(seen.length).toBeGreaterThan(0);
      for (const { custom } of seen) expect(custom).toBeLessThanOrEqual(5);
      expect(seen.some(({ generic }) => generic > 0)).toBe(true);
    });

    it('finds similar requests before filing, and none 200 m away', async () => {
      const filed = await fileIn(t, 'MS-XSL-G04', { category: 'sanitation' });
      const p = await pointIn(t, 'MS-XSL-G04-M1');
      const near = await (await t.get(`/api/requests/similar?lon=${p.lon}&lat=${p.lat}&category=sanitation`)).json();
      expect(near.similar.map((s: any) => s.ticket)).toContain(filed.ticket);
      const far = await (await t.get(`/api/requests/similar?lon=${p.lon + 0.0025}&lat=${p.lat}&category=sanitation`)).json();
      expect(far.similar.map((s: any) => s.ticket)).not.toContain(filed.ticket);
    });

    it.each([
      ['lon=abc&lat=35.2&category=clutter', 'lon'], ['lon=113.2&lat=35.2&category=aliens', 'category'], ['lon=113.2&lat=35.2', 'category'],
    ])('refuses similar?%s with a 400 naming %s', async (q, field) => {
      const res = await t.get(`/api/requests/similar?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe(field);
    });

    it('counts "me too" instead of a duplicate filing', async () => {
      const { ticket } = await fileIn(t, 'MS-XSL-G01');
      expect(await (await t.post(`/api/requests/${ticket}/me-too`, {})).json()).toEqual({ meToo: 1 });
      expect(await (await t.post(`/api/requests/${ticket}/me-too`, {})).json()).toEqual({ meToo: 2 });
      expect((await (await t.get(`/api/requests/${ticket}`)).json()).meToo).toBe(2);
    });

    it('refuses "me too" on a closed request with 409, and on an unknown one with 404', async () => {
      const { ticket } = await fileIn(t, 'MS-XSL-G01');
      await staff(ticket, 'status', { to: 'rejected', note: '不属于受理范围' });
      expect((await t.post(`/api/requests/${ticket}/me-too`, {})).status).toBe(409);
      expect((await t.post('/api/requests/GM20990101-0001/me-too', {})).status).toBe(404);
    });
  });

  describe('the public timeline', () => {
    it('shows the steps with their times, the outcome and the deadline, and no private data', async () => {
      const filed = await resolvedRequest({ contact: '137-1111-2222' });
      await staff(filed.ticket, 'notes', { note: '内部备注：住户王先生 137-1111-2222 脾气急' });
      const res = await t.get(`/api/requests/${filed.ticket}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ ticket: filed.ticket, status: 'resolved', outcome: '已疏通，管道畅通', rating: null, overdue: false });
      expect(body.steps.map((s: any) => s.step)).toEqual(['collect', 'claim', 'resolve', 'feedback']);
      expect(body.steps.at(-1).note).toBe('已疏通，管道畅通');
      expect(body.steps.every((s: any) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
      const text = JSON.stringify(body);
      for (const secret of ['137-1111-2222', '内部备注', '赵和睦', 'MS-S007', 'contact', 'assignee', filed.reportToken]) {
        expect(text).not.toContain(secret);
      }
    });

    it('shows the time left while the request waits to be claimed', async () => {
      const { ticket } = await fileIn(t, 'MS-XSL-G01', { category: 'flying_wire_charging' });
      const body = await (await t.get(`/api/requests/${ticket}`)).json();
      expect(body.timeLeftMinutes).toBeGreaterThan(25);
      expect(body.timeLeftMinutes).toBeLessThanOrEqual(30);
    });

    it('answers 404 for an unknown ticket', async () => {
      expect((await t.get('/api/requests/GM20990101-0001')).status).toBe(404);
    });

    it('shows a past demo request\'s whole history', async () => {
      const [row] = await t.database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE status = 'archived' ORDER BY id LIMIT 1`);
      const body = await (await t.get(`/api/requests/${row.ticket}`)).json();
      expect(body.steps.map((s: any) => s.step)).toEqual(['collect', 'claim', 'resolve', 'feedback', 'rate', 'archive']);
      expect(body.rating).toBeGreaterThanOrEqual(3);
      expect(body.outcome).toBeTruthy();
    });
  });

  describe('rating', () => {
    it('closes the feedback step with a good rating (→ revisited)', async () => {
      const { ticket, reportToken } = await resolvedRequest();
      const res = await rate(ticket, reportToken, { rating: 5, note: '很快就修好了' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ticket, status: 'revisited', rating: 5 });
    });

    it('reopens the request one level up with a poor rating (→ resolving, escalation +1, a fresh deadline)', async () => {
      const { ticket, reportToken } = await resolvedRequest();
      const res = await rate(ticket, reportToken, { rating: 1, note: '根本没修好' });
      expect(await res.json()).toEqual({ ticket, status: 'resolving', rating: 1 });
      const [row] = await t.database.rows<{ escalation_level: number; overdue: boolean; resolved_at: string | null }>(sql`
        SELECT escalation_level, resolve_deadline < now() AS overdue, resolved_at FROM requests WHERE ticket = ${ticket}`);
      expect(row).toEqual({ escalation_level: 1, overdue: false, resolved_at: null });
      const timeline = await (await t.get(`/api/requests/${ticket}`)).json();
      expect(timeline.steps.at(-1)).toMatchObject({ step: 'reopen', status: 'resolving' });
    });

    it('refuses a rating without the token, or with another ticket\'s, with 403 and changes nothing', async () => {
      const { ticket } = await resolvedRequest();
      const other = await fileIn(t, 'MS-XSL-G01');
      expect((await t.post(`/api/requests/${ticket}/rating`, { rating: 1 })).status).toBe(403);
      expect((await rate(ticket, other.reportToken, { rating: 1 })).status).toBe(403);
      const [row] = await t.database.rows<{ status: string }>(sql`SELECT status FROM requests WHERE ticket = ${ticket}`);
      expect(row.status).toBe('resolved');
    });

    it('refuses a rating before the request is resolved, and a second rating, with 409', async () => {
      const filed = await fileIn(t, 'MS-XSL-G01');
      expect((await rate(filed.ticket, filed.reportToken, { rating: 4 })).status).toBe(409);
      const done = await resolvedRequest();
      expect((await rate(done.ticket, done.reportToken, { rating: 4 })).status).toBe(200);
      expect((await rate(done.ticket, done.reportToken, { rating: 1 })).status).toBe(409);
    });

    it.each([[{ rating: 0 }], [{ rating: 6 }], [{ rating: 3.5 }], [{ rating: '5' }], [{}], [{ rating: 4, note: 7 }]])(
      'refuses the rating %j with a 400', async (body) => {
        const { ticket, reportToken } = await resolvedRequest();
        expect((await rate(ticket, reportToken, body)).status).toBe(400);
      });
  });

  describe('the reporter\'s photo', () => {
    const jpeg = () => sharp({ create: { width: 40, height: 30, channels: 3, background: '#345' } }).jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 13/1 0/1' } }).toBuffer();
    const form = (bytes: Uint8Array) => { const f = new FormData(); f.append('photo', new File([new Uint8Array(bytes)], 'p.jpg', { type: 'image/jpeg' })); return f; };

    it('accepts a photo with the token, strips it, and shows it to the reporter and the worker', async () => {
      const { ticket, reportToken } = await fileIn(t, 'MS-XSL-G01');
      const res = await call(t, 'POST', `/api/requests/${ticket}/photos?token=${reportToken}`, { form: form(await jpeg()) });
      expect(res.status).toBe(201);
      const { id, url } = await res.json();
      const img = await t.get(url);
      expect(img.status).toBe(200);
      expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).exif).toBeUndefined();
      const own = await (await t.get(`/api/requests/${ticket}?token=${reportToken}`)).json();
      expect(own.photos.map((p: any) => p.id)).toEqual([id]);
      const anon = await (await t.get(`/api/requests/${ticket}`)).json();
      expect(anon.photos).toBeUndefined();
      const detail = await (await call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie: worker })).json();
      expect(detail.photos).toEqual([{ id, kind: 'report', url: `/api/photos/${id}` }]);
    });

    it('refuses a photo without the token with 403', async () => {
      const { ticket } = await fileIn(t, 'MS-XSL-G01');
      expect((await call(t, 'POST', `/api/requests/${ticket}/photos`, { form: form(await jpeg()) })).status).toBe(403);
    });

    it('refuses a photo more than an hour after filing with 409', async () => {
      const { ticket, reportToken } = await fileIn(t, 'MS-XSL-G01');
      await t.database.rows(sql`UPDATE requests SET created_at = now() - interval '61 minutes' WHERE ticket = ${ticket} RETURNING id`);
      expect((await call(t, 'POST', `/api/requests/${ticket}/photos?token=${reportToken}`, { form: form(await jpeg()) })).status).toBe(409);
    });

    it('refuses a fourth photo with 409', async () => {
      const { ticket, reportToken } = await fileIn(t, 'MS-XSL-G01');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(t, 'POST', `/api/requests/${ticket}/photos?token=${reportToken}`, { form: form(await jpeg()) })).status);
      expect(statuses).toEqual([201, 201, 201, 409]);
    });
  });

  describe('private data in public places', () => {
    it('never puts a reporter contact in the public collection, timeline or similar list', async () => {
      const contact = '135-2468-1357';
      const filed = await fileIn(t, 'MS-XSL-G05', { category: 'parking', contact });
      const p = await pointIn(t, 'MS-XSL-G05-M1');
      for (const path of [
        `/api/requests/${filed.ticket}`, `/api/collections/requests/items/${filed.ticket}`,
        `/api/requests/similar?lon=${p.lon}&lat=${p.lat}&category=parking`, '/api/collections/requests/items?limit=1000',
      ]) {
        expect(await (await t.get(path)).text(), path).not.toContain(contact);
      }
    });
  });
});
