import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app.ts';
import { hashToken, newToken } from '../../api/auth/session.ts';
import { requestCategoryRules as categoryDeadlines } from '../../api/contract/vocabulary.ts';
import { openDatabase, type Database } from '../../api/db/client.ts';
import { LiveHub } from '../../api/live/hub.ts';
import { eventRoutes } from '../../api/routes/events.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { modes } from '../helpers/databases.ts';
import { SseReader } from '../helpers/sse.ts';

const contact = '137-1234-5678';

/** A point inside an area (its point on surface), for filing there. */
async function inside(database: Database, areaId: string) {
  const [p] = await database.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = ${areaId}) x`);
  return p;
}

async function newestEventId(database: Database) {
  const [row] = await database.rows<{ id: number }>(sql`SELECT COALESCE(max(id), 0)::int AS id FROM request_events`);
  return row.id;
}

/** A signed-in staff member without going through the sign-in route: an account and a session row. */
async function staffCookie(database: Database, staffId: string) {
  const token = newToken();
  const username = `test-${staffId}-${token.slice(0, 6)}`;
  await database.rows(sql`INSERT INTO accounts (username, staff_id, password_hash) VALUES (${username}, ${staffId}, 'x')
    ON CONFLICT (staff_id) DO UPDATE SET username = accounts.username`);
  const [account] = await database.rows<{ username: string }>(sql`SELECT username FROM accounts WHERE staff_id = ${staffId}`);
  await database.rows(sql`INSERT INTO sessions (token_hash, username, expires_at)
    VALUES (${hashToken(token)}, ${account.username}, now() + interval '1 hour')`);
  return `gm_session=${token}`;
}

describe.each(modes())('the live event stream on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const open = async (path = '/api/events', headers: Record<string, string> = {}) => {
    const res = await t.app.request(`http://localhost${path}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = new SseReader(res.body!);
    await reader.next(5000); // the "connected" preamble: the subscription is in place
    return reader;
  };
  const file = async (areaId: string, description = '学生路12号院门口路灯不亮') => {
    const res = await t.post('/api/requests', { category: 'street_light', description, contact, ...(await inside(t.database, areaId)) });
    expect(res.status).toBe(201);
    return (await res.json()).ticket as string;
  };

  it('delivers a newly filed request to a connected client', async () => {
    const stream = await open();
    const ticket = await file('MS-XSL-G01');
    const message = await stream.next(5000, 'request');
    const event = JSON.parse(message.data!);
    expect(event).toMatchObject({ ticket, action: 'filed', status: 'collected', category: 'street_light', communityId: 'MS-XSL', gridId: 'MS-XSL-G01' });
    expect(Number(message.id)).toBe(event.id);
    await stream.close();
  });

  it('tells the minutes left to claim a new request, from its category\'s deadline', async () => {
    const stream = await open();
    await file('MS-XSL-G01');
    const event = JSON.parse((await stream.next(5000, 'request')).data!);
    const limit = categoryDeadlines.street_light.claimMinutes;
    expect(event.timeLeftMinutes).toBeGreaterThanOrEqual(limit - 2);
    expect(event.timeLeftMinutes).toBeLessThanOrEqual(limit);
    expect(event.overdue).toBe(false);
    await stream.close();
  });

  it('carries no reporter contact and no assignee on the public stream', async () => {
    const stream = await open();
    await file('MS-XSL-G01');
    const message = await stream.next(5000, 'request');
    expect(message.data).not.toContain(contact);
    expect(JSON.parse(message.data!)).not.toHaveProperty('contact');
    expect(JSON.parse(message.data!)).not.toHaveProperty('assignee');
    await stream.close();
  });

  it('replays the events after Last-Event-ID, in order, before going live', async () => {
    const before = await newestEventId(t.database);
    const missed = [await file('MS-XSL-G01', '错过的第一条'), await file('MS-MSL', '错过的第二条')];
    const stream = await open('/api/events', { 'last-event-id': String(before) });
    const replayed = await stream.collect(1500);
    expect(replayed.map((e) => e.ticket)).toEqual(missed);
    const live = await file('MS-XSL-G01', '重连之后的新诉求');
    expect((await stream.next(5000, 'request')).data).toContain(live);
    await stream.close();
  });

  it('replays from ?lastEventId= as from the header', async () => {
    const before = await newestEventId(t.database);
    const ticket = await file('MS-XSL-G01');
    const stream = await open(`/api/events?lastEventId=${before}`);
    expect(JSON.parse((await stream.next(5000, 'request')).data!).ticket).toBe(ticket);
    await stream.close();
  });

  it('sends each event once when it is both replayed and announced', async () => {
    const before = await newestEventId(t.database);
    const stream = await open('/api/events', { 'last-event-id': String(before) });
    const ticket = await file('MS-XSL-G01');
    const received = await stream.collect(1500);
    expect(received.filter((e) => e.ticket === ticket)).toHaveLength(1);
    await stream.close();
  });

  it.each(['abc', '-1', '1.5', '99999999999'])('refuses Last-Event-ID %s with a 400', async (value) => {
    const res = await t.app.request('http://localhost/api/events', { headers: { 'last-event-id': value } });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('lastEventId');
  });

  it('gives staff in scope the contact and the assignee', async () => {
    const cookie = await staffCookie(t.database, 'MS-S005'); // secretary of 学生路社区
    const stream = await open('/api/events', { cookie });
    await file('MS-XSL-G02');
    const event = JSON.parse((await stream.next(5000, 'request')).data!);
    expect(event.contact).toBe(contact);
    expect(event).toHaveProperty('assignee');
    await stream.close();
  });

  it('keeps events outside a staff member\'s scope off their stream', async () => {
    const cookie = await staffCookie(t.database, 'MS-S005'); // secretary of 学生路社区, not 民生路社区
    const stream = await open('/api/events', { cookie });
    await file('MS-MSL', '别的社区的诉求');
    const mine = await file('MS-XSL-G01', '本社区的诉求');
    const received = await stream.collect(1500);
    expect(received.map((e) => e.ticket)).toEqual([mine]);
    await stream.close();
  });

  it('shows a kiosk only its own area, without contacts', async () => {
    const token = `kiosk-${newToken()}`;
    await t.database.rows(sql`INSERT INTO kiosk_tokens (token_hash, hint, area_id, label) VALUES (${hashToken(token)}, 'test', 'MS-XSL', 'test wall')`);
    const stream = await open(`/api/events?kiosk=${token}`);
    await file('MS-MSL', '别的社区的诉求');
    const mine = await file('MS-XSL-G03', '学生路社区的诉求');
    const received = await stream.collect(1500);
    expect(received.map((e) => e.ticket)).toEqual([mine]);
    expect(JSON.stringify(received)).not.toContain(contact);
    await stream.close();
  });

  it('refuses an unknown kiosk token with a 403', async () => {
    const res = await t.get('/api/events?kiosk=not-a-token');
    expect(res.status).toBe(403);
  });

  it('lets go of a client that disconnects', async () => {
    const hub = LiveHub.of(t.database);
    const before = hub.subscriberCount;
    const stream = await open();
    expect(hub.subscriberCount).toBe(before + 1);
    await stream.close();
    await expect.poll(() => hub.subscriberCount, { timeout: 3000 }).toBe(before);
  });

  it('sends a heartbeat comment on a quiet stream', async () => {
    const app = new Hono().route('/events', eventRoutes(t.database, { heartbeatMs: 100 }));
    const res = await app.request('http://localhost/events');
    const stream = new SseReader(res.body!);
    await stream.next(3000);
    const beat = await stream.next(3000);
    expect(beat.comments).toContain('heartbeat');
    await stream.close();
  });

  it('closes the stream of a client that stops reading, instead of queueing without end', async () => {
    const app = new Hono().route('/events', eventRoutes(t.database, { queueLimit: 2 }));
    const res = await app.request('http://localhost/events');
    const stream = new SseReader(res.body!);
    await stream.next(3000);
    // once a write blocks on the unread socket, every further event waits in the queue; announced
    // events that arrive together are taken together, so file enough that a few come after the block
    for (let i = 0; i < 20; i++) await file('MS-XSL-G01', `不读的客户端 ${i}`);
    // the client starts reading only now: it finds a few events, then the end
    expect(await stream.waitForEnd(5000)).toBe(true);
  });

  // the filing path made fast (issue 12, docs/scaling.md): one message per event and kind of viewer, and the triggers' kept plans
  it('writes one event to two public streams and a staff stream at once, the same bytes to both public ones, the contact and words only to staff', async () => {
    const marker = '过滤标记-同一条消息';
    const cookie = await staffCookie(t.database, 'MS-S005'); // secretary of 学生路社区
    const streams = [await open(), await open(), await open('/api/events', { cookie })];
    const ticket = await file('MS-XSL-G01', marker);
    // the event of this ticket: the previous test's twenty filings may still be on their way to every stream
    const eventOf = async (stream: SseReader) => {
      for (;;) {
        const message = await stream.next(5000, 'request');
        if (JSON.parse(message.data!).ticket === ticket) return message;
      }
    };
    const [a, b, staff] = await Promise.all(streams.map(eventOf));
    expect(a.data).toBe(b.data);
    expect(JSON.parse(a.data!)).toMatchObject({ ticket, action: 'filed' });
    expect(a.data).not.toContain(contact);
    expect(a.data).not.toContain(marker);
    expect(staff.id).toBe(a.id);
    expect(JSON.parse(staff.data!)).toMatchObject({ ticket, contact, description: marker });
    await Promise.all(streams.map((stream) => stream.close()));
  });

  it('keeps every trigger function\'s plans: a later CREATE OR REPLACE must repeat SET plan_cache_mode = auto (migration 0031)', async () => {
    const forgotten = await t.database.rows<{ name: string }>(sql`
      SELECT DISTINCT p.proname AS name FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
      WHERE NOT g.tgisinternal AND NOT coalesce('plan_cache_mode=auto' = ANY (p.proconfig), false) ORDER BY 1`);
    expect(forgotten.map((f) => f.name)).toEqual([]);
  });

  it('sends a reset instead of replaying more than its replay limit', async () => {
    const app = new Hono().route('/events', eventRoutes(t.database, { replayLimit: 3 }));
    const before = await newestEventId(t.database);
    for (let i = 0; i < 4; i++) await file('MS-XSL-G01', `离线时的诉求 ${i}`);
    const res = await app.request('http://localhost/events', { headers: { 'last-event-id': String(before) } });
    const stream = new SseReader(res.body!);
    const reset = await stream.next(3000, 'reset');
    expect(Number(reset.id)).toBe(await newestEventId(t.database));
    await stream.close();
  });
});

describe.runIf(modes().includes('postgres'))('the live event stream behind a load balancer', () => {
  let t: TestApp;
  let second: Database;
  beforeAll(async () => {
    t = await openTestApp('postgres');
    const [{ name }] = await t.database.rows<{ name: string }>(sql`SELECT current_database() AS name`);
    const url = inject('postgresTemplateUrl')!.replace(/\/gridmap_template$/, `/${name}`);
    second = await openDatabase({ url, migrate: false });
  });
  afterAll(async () => { await second?.close(); await t?.close(); });

  it('delivers to a client of a second API process what the first one filed', async () => {
    const app2 = createApp({ database: second, tiles: t.tiles });
    const res = await app2.request('http://localhost/api/events');
    const stream = new SseReader(res.body!);
    await stream.next(5000);
    const filed = await t.post('/api/requests', { category: 'clutter', description: '楼道堆满纸箱', ...(await inside(t.database, 'MS-XSL-G01')) });
    const { ticket } = await filed.json();
    expect(JSON.parse((await stream.next(5000, 'request')).data!).ticket).toBe(ticket);
    await stream.close();
  });
});
