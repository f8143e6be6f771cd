import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../api/db/client.ts';
import { hashToken } from '../../api/auth/session.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { modes } from '../helpers/databases.ts';
import { dayCountsDiffer } from '../helpers/day-counts.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { findRequest } from '../../api/loop/request-row.ts';
import { rate } from '../../api/loop/moves.ts';

/*
 * The wall screen's figures are checked against counts made here, in JavaScript, from the raw
 * rows: a second implementation of the definitions in api/live/stats.ts, not a copy of its SQL.
 */

type Req = {
  id: number; status: string; category: string; street_id: string; community_id: string; grid_id: string;
  created_at: string; resolved_at: string | null; claim_deadline: string | null; resolve_deadline: string | null;
  rating: number | null; rated_at: string | null;
};
type Ev = { request_id: number; at: string; action: string; from_status: string | null; to_status: string | null };

const open = ['collected', 'claimed', 'deliberating', 'resolving'];
const done = ['resolved', 'revisited', 'archived'];
/** the calendar day in Asia/Shanghai (UTC+8, no daylight saving) */
const shanghaiDay = (t: string | number | Date) => new Date(new Date(t).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function snapshot(database: Database) {
  const requests = await database.rows<Req>(sql`
    SELECT id, status, category, street_id, community_id, grid_id, to_json(created_at) #>> '{}' AS created_at,
           to_json(resolved_at) #>> '{}' AS resolved_at, to_json(claim_deadline) #>> '{}' AS claim_deadline,
           to_json(resolve_deadline) #>> '{}' AS resolve_deadline, rating, to_json(rated_at) #>> '{}' AS rated_at FROM requests`);
  const events = await database.rows<Ev>(sql`SELECT request_id, to_json(at) #>> '{}' AS at, action, from_status, to_status FROM request_events`);
  const grids = await database.rows<{ id: string; parent_id: string }>(sql`SELECT id, parent_id FROM areas WHERE level = 'grid'`);
  return { requests, events, grids, now: Date.now() };
}

function expected(data: Awaited<ReturnType<typeof snapshot>>, community: string | null, grid?: string) {
  const { now } = data;
  const today = shanghaiDay(now);
  const requests = data.requests.filter((r) => (!community || r.community_id === community) && (!grid || r.grid_id === grid));
  const ids = new Set(requests.map((r) => r.id));
  const events = data.events.filter((e) => ids.has(e.request_id));
  // waiting to be claimed: the claim deadline; being worked on: the resolve deadline; closed: none
  const due = (r: Req) => (r.status === 'collected' ? r.claim_deadline : open.includes(r.status) ? r.resolve_deadline : null);
  const overdue = (r: Req) => due(r) !== null && Date.parse(due(r)!) < now;
  const takenUp = (e: Ev) => e.from_status === 'collected' && !['collected', 'rejected', 'duplicate'].includes(e.to_status!);
  // resolved that day (its last resolution) and still resolved or closed now: a reopened request is not done
  const resolvedOn = (date: string) => requests.filter((r) => done.includes(r.status) && r.resolved_at !== null && shanghaiDay(r.resolved_at) === date).length;
  const distinct = (list: Ev[]) => new Set(list.map((e) => e.request_id)).size;
  const days = Array.from({ length: 30 }, (_, i) => shanghaiDay(now - (29 - i) * 86400_000));
  // the rating it holds, given on one of the 30 days
  const rated = requests.filter((r) => r.rating !== null && days.includes(shanghaiDay(r.rated_at!)));
  return {
    today: {
      new: requests.filter((r) => shanghaiDay(r.created_at) === today).length,
      claimed: distinct(events.filter((e) => takenUp(e) && shanghaiDay(e.at) === today)),
      resolved: resolvedOn(today),
      overdue: requests.filter(overdue).length,
      open: requests.filter((r) => open.includes(r.status)).length,
      satisfaction: rated.length ? Math.round((rated.reduce((s, r) => s + r.rating!, 0) / rated.length) * 100) / 100 : null,
      ratings: rated.length,
    },
    trend: days.map((date) => ({
      date,
      new: requests.filter((r) => shanghaiDay(r.created_at) === date).length,
      resolved: resolvedOn(date),
    })),
    grids: data.grids.filter((g) => !community || g.parent_id === community).sort((a, b) => a.id.localeCompare(b.id)).map((g) => ({
      id: g.id,
      open: data.requests.filter((r) => r.grid_id === g.id && open.includes(r.status)).length,
      overdue: data.requests.filter((r) => r.grid_id === g.id && overdue(r)).length,
    })),
  };
}

describe.each(modes())('the wall screen statistics on %s', (mode) => {
  let t: TestApp;
  const contact = '136-5555-0000';

  beforeAll(async () => {
    t = await openTestApp(mode);
    // today's activity on top of the demo history: filed, claimed, resolved, overdue, rated
    for (const areaId of ['MS-XSL-G01', 'MS-XSL-G02', 'MS-MSL']) {
      const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
        SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = ${areaId}) x`);
      const res = await t.post('/api/requests', { category: 'noise', description: '夜间施工噪音', contact, ...p });
      expect(res.status).toBe(201);
    }
    const db = t.database;
    await db.rows(sql`WITH x AS (SELECT id FROM requests WHERE status = 'collected' AND community_id = 'MS-XSL' ORDER BY id DESC LIMIT 1),
      u AS (UPDATE requests r SET status = 'claimed', claimed_at = now() FROM x WHERE r.id = x.id RETURNING r.id)
      INSERT INTO request_events (request_id, actor, action, from_status, to_status) SELECT id, 'MS-S005', 'claimed', 'collected', 'claimed' FROM u`);
    await db.rows(sql`WITH x AS (SELECT id FROM requests WHERE status = 'resolving' AND community_id = 'MS-XSL' ORDER BY id LIMIT 1),
      u AS (UPDATE requests r SET status = 'resolved', resolved_at = now(), rating = 2, rated_at = now(), updated_at = now() FROM x WHERE r.id = x.id RETURNING r.id)
      INSERT INTO request_events (request_id, actor, action, from_status, to_status) SELECT id, 'MS-S005', 'status', 'resolving', 'resolved' FROM u`);
    await db.rows(sql`UPDATE requests SET claim_deadline = now() - interval '1 hour'
      WHERE id IN (SELECT id FROM requests WHERE status = 'collected' ORDER BY id LIMIT 3)`);
    await db.rows(sql`UPDATE requests SET resolve_deadline = now() - interval '2 hours'
      WHERE id IN (SELECT id FROM requests WHERE status IN ('resolving', 'deliberating') ORDER BY id LIMIT 4)`);
    await db.rows(sql`UPDATE requests SET resolve_deadline = now() + interval '2 hours'
      WHERE id IN (SELECT id FROM requests WHERE status = 'claimed' ORDER BY id LIMIT 2)`);
    await db.rows(sql`UPDATE requests SET rating = 5, rated_at = now() - interval '3 days'
      WHERE id IN (SELECT id FROM requests WHERE status = 'revisited' ORDER BY id LIMIT 3)`);
    await db.rows(sql`UPDATE requests SET rating = 1, rated_at = now() - interval '40 days'
      WHERE id IN (SELECT id FROM requests WHERE status = 'archived' ORDER BY id LIMIT 2)`);
  });
  afterAll(async () => { await t?.close(); });

  const stats = async (query = '') => {
    const res = await t.get(`/api/stats${query}`);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('counts today\'s figures for the whole street as the raw rows say', async () => {
    const want = expected(await snapshot(t.database), null);
    const got = await stats();
    expect(got.today).toEqual(want.today);
    expect(got.today.new).toBeGreaterThanOrEqual(3);
    expect(got.today.overdue).toBeGreaterThan(0);
  });

  it('counts today\'s figures for one community as the raw rows say', async () => {
    const want = expected(await snapshot(t.database), 'MS-XSL');
    const got = await stats('?areaId=MS-XSL');
    expect(got.today).toEqual(want.today);
    expect(got.today.claimed).toBeGreaterThanOrEqual(1);
    expect(got.today.resolved).toBeGreaterThanOrEqual(1);
  });

  it('averages only the ratings of the last 30 days', async () => {
    const got = await stats();
    const want = expected(await snapshot(t.database), null);
    expect(got.today.satisfaction).toBe(want.today.satisfaction);
    expect(got.today.satisfaction).not.toBeNull();
  });

  it('gives a 30-day trend ending today in Shanghai, matching the raw rows day by day', async () => {
    const want = expected(await snapshot(t.database), null);
    const got = await stats();
    expect(got.trend).toHaveLength(30);
    expect(got.trend.at(-1).date).toBe(shanghaiDay(Date.now()));
    expect(got.trend).toEqual(want.trend);
  });

  it('counts a request filed just after midnight in Shanghai as today, and one just before as yesterday', async () => {
    const before = (await stats()).today.new;
    const midnight = Date.parse(`${shanghaiDay(Date.now())}T00:00:00+08:00`);
    await t.database.rows(sql`INSERT INTO requests (ticket, category, description, status, street_id, community_id, grid_id, geom, created_at)
      SELECT 'T-AFTER-MIDNIGHT', 'other', '零点后', 'archived', 'MS', 'MS-XSL', 'MS-XSL-G01', ST_SetSRID(ST_MakePoint(113.23, 35.21), 4326), ${new Date(midnight + 1000).toISOString()}::timestamptz
      UNION ALL
      SELECT 'T-BEFORE-MIDNIGHT', 'other', '零点前', 'archived', 'MS', 'MS-XSL', 'MS-XSL-G01', ST_SetSRID(ST_MakePoint(113.23, 35.21), 4326), ${new Date(midnight - 1000).toISOString()}::timestamptz`);
    expect((await stats()).today.new).toBe(before + 1);
  });

  it('does not count as resolved today a request a resident reopened after it was resolved', async () => {
    const db = t.database;
    const before = (await stats('?areaId=MS-XSL')).today.resolved;
    const [r] = await db.rows<{ id: number }>(sql`SELECT id FROM requests WHERE status = 'resolving' AND community_id = 'MS-XSL' ORDER BY id DESC LIMIT 1`);
    await db.rows(sql`UPDATE requests SET status = 'resolved', resolved_at = now() WHERE id = ${r.id}`);
    await db.rows(sql`INSERT INTO request_events (request_id, actor, action, from_status, to_status) VALUES (${r.id}, 'MS-S005', 'status', 'resolving', 'resolved')`);
    expect((await stats('?areaId=MS-XSL')).today.resolved).toBe(before + 1);

    await db.rows(sql`UPDATE requests SET status = 'resolving', resolved_at = NULL, rating = 1, rated_at = now() WHERE id = ${r.id}`);
    await db.rows(sql`INSERT INTO request_events (request_id, actor, action, from_status, to_status) VALUES (${r.id}, 'resident', 'reopened', 'resolved', 'resolving')`);
    const after = await stats('?areaId=MS-XSL');
    expect(after.today.resolved).toBe(before);
    expect(after.trend.at(-1).resolved).toBe((await stats('?areaId=MS-XSL')).today.resolved);
  });

  it('counts a grid\'s figures from its rows as the raw rows say (the daily sums keep communities and above)', async () => {
    const want = expected(await snapshot(t.database), null, 'MS-XSL-G01');
    const got = await stats('?areaId=MS-XSL-G01');
    expect(got.today).toEqual(want.today);
    expect(got.trend).toEqual(want.trend);
    expect(got.today.ratings + got.trend.reduce((n: number, d: any) => n + d.resolved, 0), 'a grid with history').toBeGreaterThan(0);
  });

  it('follows a resolution, a good rating, a poor one that reopens and a second resolution, at every level, as the rows say', async () => {
    const cookie = await signIn(t, 'xsl-g01-zhao');
    const step = async (ticket: string, to: string, extra: Record<string, string> = {}) => {
      const res = await call(t, 'POST', `/api/staff/requests/${ticket}/status`, { cookie, body: { to, ...extra } });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    const resolve = (ticket: string) => step(ticket, 'resolved', { outcome: '已修复' });
    const figures = async () => Promise.all(['', '?areaId=MS-XSL', '?areaId=MS-XSL-G01'].map(async (q) => (await stats(q)).today));
    const good = await fileIn(t, 'MS-XSL-G01');
    const poor = await fileIn(t, 'MS-XSL-G01');
    for (const { ticket } of [good, poor]) for (const to of ['claimed', 'resolving']) await step(ticket, to);
    const before = await figures();

    await resolve(good.ticket);
    await resolve(poor.ticket);
    await rate(t.database, (await findRequest(t.database, good.ticket))!, 5, null);
    await rate(t.database, (await findRequest(t.database, poor.ticket))!, 1, '没修好'); // reopens it
    const rated = await figures();
    for (const [i, f] of rated.entries()) {
      expect(f.resolved, `level ${i}: the reopened one is not done`).toBe(before[i].resolved + 1);
      expect(f.ratings, `level ${i}: both ratings count`).toBe(before[i].ratings + 2);
    }

    await resolve(poor.ticket); // a new outcome is rated anew: the poor rating no longer counts
    const again = await figures();
    for (const [i, f] of again.entries()) {
      expect(f.resolved).toBe(before[i].resolved + 2);
      expect(f.ratings).toBe(before[i].ratings + 1);
    }
    expect(await dayCountsDiffer(t.database)).toEqual([]);
    const want = expected(await snapshot(t.database), 'MS-XSL');
    const got = await stats('?areaId=MS-XSL');
    expect(got.today).toEqual(want.today);
    expect(got.trend).toEqual(want.trend);
  });

  it('lists every grid of the area with its open and overdue requests', async () => {
    const want = expected(await snapshot(t.database), 'MS-XSL');
    const got = await stats('?areaId=MS-XSL');
    expect(got.unitLevel).toBe('grid');
    expect(got.units.map((g: any) => ({ id: g.id, open: g.open, overdue: g.overdue }))).toEqual(want.grids);
  });

  it('scales each grid\'s load to the busiest grid, which gets 1', async () => {
    const { units: grids } = await stats();
    const weight = (g: any) => g.open + g.overdue;
    const busiest = Math.max(...grids.map(weight));
    for (const g of grids) {
      expect(g.load).toBeGreaterThanOrEqual(0);
      expect(g.load).toBeLessThanOrEqual(1);
      expect(g.load).toBeCloseTo(weight(g) / busiest, 2);
    }
    expect(grids.filter((g: any) => g.load === 1).length).toBeGreaterThan(0);
  });

  it('computes the figures once for every screen while nothing is written, and again after any write', async () => {
    const first = await stats('?areaId=MS-XSL');
    const again = await stats('?areaId=MS-XSL');
    expect(again.generatedAt).toBe(first.generatedAt); // shared: the same computation
    await t.database.rows(sql`INSERT INTO requests (ticket, category, description, status, street_id, community_id, grid_id, geom)
      VALUES ('T-SHARED', 'other', '共享', 'collected', 'MS', 'MS-XSL', 'MS-XSL-G01', ST_SetSRID(ST_MakePoint(113.23, 35.21), 4326))`);
    const after = await stats('?areaId=MS-XSL');
    expect(after.generatedAt).not.toBe(first.generatedAt);
    expect(after.today.open).toBe(first.today.open + 1);
  });

  it('shows the newest 20 events, newest first, without contacts', async () => {
    const { latest } = await stats();
    expect(latest).toHaveLength(20);
    const ids = latest.map((e: any) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const [newest] = await t.database.rows<{ id: number }>(sql`SELECT max(id)::int AS id FROM request_events`);
    expect(ids[0]).toBe(newest.id);
    expect(JSON.stringify(latest)).not.toContain(contact);
    for (const e of latest) expect(e).not.toHaveProperty('contact');
  });

  it('shows a kiosk the figures of its own area', async () => {
    await t.database.rows(sql`INSERT INTO kiosk_tokens (token_hash, hint, area_id, label) VALUES (${hashToken('stats-wall')}, 'wall', 'MS-XSL', 'test') ON CONFLICT DO NOTHING`);
    const kiosk = await stats('?kiosk=stats-wall');
    const byArea = await stats('?areaId=MS-XSL');
    expect(kiosk.today).toEqual(byArea.today);
    expect(kiosk.units).toEqual(byArea.units);
  });

  it.each([
    ['an unknown area', '?areaId=MS-NOWHERE', 404],
    ['an absurdly long area id', `?areaId=${'x'.repeat(500)}`, 400],
    ['an unknown kiosk token', '?kiosk=nope', 403],
  ])('refuses %s', async (_, query, status) => {
    const res = await t.get(`/api/stats${query}`);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toBeTruthy();
  });
});
