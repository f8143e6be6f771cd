import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { hashToken, inScope, userOfStaff } from '../../api/auth/session.ts';
import { readRequestRow, requestColumns, requestJoins } from '../../api/loop/request-row.ts';
import { warnDeadlines } from '../../api/notify/notifications.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { SseReader } from '../helpers/sse.ts';

describe.each(modes())('staff notifications on %s', (mode) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    t = await openTestApp(mode);
    for (const u of ['admin', 'xsl-shuji', 'mediator', 'xsl-g01-wu', 'xsl-g01-zhao', 'xsl-g01-zhou', 'xsl-g02-zhou']) cookies[u] = await signIn(t, u);
  });
  afterAll(async () => { await t?.close(); });

  const list = async (user: string) => {
    const res = await call(t, 'GET', '/api/notifications', { cookie: cookies[user] });
    expect(res.status).toBe(200);
    return res.json() as Promise<{ unread: number; notifications: { id: number; kind: string; ticket: string; level: number | null; readAt: string | null }[] }>;
  };
  const kindsFor = async (user: string, ticket: string) => (await list(user)).notifications.filter((n) => n.ticket === ticket).map((n) => n.kind).sort();
  const staffPost = (user: string, path: string, body: unknown = {}) => call(t, 'POST', path, { cookie: cookies[user], body });

  it('uses in the database exactly the scope rule of inScope, for every staff member and request of the demo', async () => {
    await t.database.rows(sql`UPDATE requests SET escalation_level = id % 4`); // every level occurs
    const staff = await t.database.rows<{ id: string }>(sql`SELECT id FROM staff ORDER BY id`);
    const requests = (await t.database.rows<Record<string, unknown>>(sql`SELECT ${requestColumns} FROM requests r ${requestJoins} ORDER BY r.id`)).map(readRequestRow);
    const inSql = new Set((await t.database.rows<{ pair: string }>(sql`
      SELECT s.id || '/' || r.ticket AS pair FROM staff s LEFT JOIN areas a ON a.id = s.area_id, requests r
      WHERE staff_in_scope(s.role, s.area_id, a.level, r)`)).map((p) => p.pair));
    let checked = 0;
    for (const { id } of staff) {
      const user = (await userOfStaff(t.database, id))!;
      for (const r of requests) {
        expect(inSql.has(`${id}/${r.ticket}`), `${id} ${user.role} ${user.areaId} / ${r.ticket}`).toBe(inScope(user, r));
        checked++;
      }
    }
    expect(inSql.size).toBeGreaterThan(1000); // the rule holds something to compare
    expect(checked).toBeGreaterThan(50_000);
    await t.database.rows(sql`UPDATE requests SET escalation_level = 0`);
  });

  it('tells the people of the grid of a new request there, and nobody of another grid', async () => {
    const before = (await list('xsl-g01-zhao')).unread;
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    for (const user of ['xsl-g01-zhao', 'xsl-g01-zhou', 'xsl-g01-wu']) expect(await kindsFor(user, ticket), user).toEqual(['new_request']);
    for (const user of ['xsl-g02-zhou', 'mediator', 'xsl-shuji']) expect(await kindsFor(user, ticket), user).toEqual([]);
    expect((await list('xsl-g01-zhao')).unread).toBe(before + 1);
  });

  // the trigger finds its recipients through the staff's area index (migration 0027): it must tell
  // exactly whom the scope rule, asked of every member of staff, holds, on filing and at each level
  it('tells on filing and at each escalation exactly the staff the scope rule holds', async () => {
    // a street administrator of no area (the whole installation) hears of level 3 too
    await t.database.rows(sql`INSERT INTO staff (id, name, role) VALUES ('test-street-all', '全街管理员', 'street_admin') ON CONFLICT DO NOTHING`);
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const told = async (kind: string, level: number | null) => (await t.database.rows<{ id: string }>(sql`
      SELECT n.recipient_id AS id FROM notifications n JOIN requests r ON r.id = n.request_id
      WHERE r.ticket = ${ticket} AND n.kind = ${kind} AND n.level IS NOT DISTINCT FROM ${level} ORDER BY 1`)).map((r) => r.id);
    const ruled = async (role: string | null) => (await t.database.rows<{ id: string }>(sql`
      SELECT s.id FROM staff s LEFT JOIN areas a ON a.id = s.area_id, requests r
      WHERE r.ticket = ${ticket} AND staff_in_scope(s.role, s.area_id, a.level, r)
        AND ${role === null ? sql`a.level IN ('grid', 'microgrid')` : sql`s.role = ${role}`} ORDER BY 1`)).map((r) => r.id);
    expect(await told('new_request', null)).toEqual(await ruled(null));
    expect((await told('new_request', null)).length).toBeGreaterThan(1);
    for (const [level, role] of [[1, 'mediator'], [2, 'secretary'], [3, 'street_admin']] as const) {
      await t.database.rows(sql`UPDATE requests SET escalation_level = ${level} WHERE ticket = ${ticket}`);
      await t.database.rows(sql`INSERT INTO request_events (request_id, actor, action, from_status, to_status)
        SELECT id, 'system', 'escalated', status, status FROM requests WHERE ticket = ${ticket}`);
      const expected = await ruled(role);
      expect(await told('escalated', level), role).toEqual(expected);
      expect(expected.length, role).toBeGreaterThan(0);
    }
    expect(await told('escalated', 3)).toContain('test-street-all');
  });

  it('marks read only the reader’s own notifications', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const mine = (await list('xsl-g01-zhao')).notifications.find((n) => n.ticket === ticket)!;
    const theirs = (await list('xsl-g01-zhou')).notifications.find((n) => n.ticket === ticket)!;
    const res = await staffPost('xsl-g01-zhao', '/api/notifications/read', { ids: [mine.id, theirs.id] });
    expect(res.status).toBe(200);
    expect((await list('xsl-g01-zhao')).notifications.find((n) => n.id === mine.id)!.readAt).not.toBeNull();
    expect((await list('xsl-g01-zhou')).notifications.find((n) => n.id === theirs.id)!.readAt).toBeNull();
    const all = await staffPost('xsl-g01-zhao', '/api/notifications/read', { all: true });
    expect(await all.json()).toEqual({ unread: 0 });
  });

  it('tells the assignee of a dispatch, not the dispatcher', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    expect((await staffPost('xsl-g01-wu', `/api/staff/requests/${ticket}/dispatch`, { assigneeId: 'MS-S007' })).status).toBe(200);
    expect(await kindsFor('xsl-g01-zhao', ticket)).toEqual(['dispatched', 'new_request']);
    expect(await kindsFor('xsl-g01-wu', ticket)).toEqual(['new_request']);
  });

  it('tells the people of the level a request is escalated to, in its area', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    expect((await staffPost('xsl-g01-zhao', `/api/staff/requests/${ticket}/escalate`, { note: '需要调解' })).status).toBe(200);
    const told = (await list('mediator')).notifications.filter((n) => n.ticket === ticket);
    expect(told.map((n) => [n.kind, n.level])).toEqual([['escalated', 1]]);
    expect(await kindsFor('xsl-shuji', ticket)).toEqual([]);
    expect((await staffPost('mediator', `/api/staff/requests/${ticket}/escalate`, { note: '社区协调' })).status).toBe(200);
    expect(await kindsFor('xsl-shuji', ticket)).toEqual(['escalated']);
  });

  it('tells whoever handled a request of a bad rating', async () => {
    const filed = await fileIn(t, 'MS-XSL-G01');
    await staffPost('xsl-g01-zhou', `/api/staff/requests/${filed.ticket}/claim`);
    await staffPost('xsl-g01-zhou', `/api/staff/requests/${filed.ticket}/status`, { to: 'resolving' });
    await staffPost('xsl-g01-zhou', `/api/staff/requests/${filed.ticket}/status`, { to: 'resolved', outcome: '已处理' });
    const res = await t.post(`/api/requests/${filed.ticket}/rating?token=${filed.reportToken}`, { rating: 1, note: '没修好' });
    expect(res.status).toBe(200);
    expect(await kindsFor('xsl-g01-zhou', filed.ticket)).toEqual(['bad_rating', 'new_request']);
    expect(await kindsFor('mediator', filed.ticket)).toEqual(['escalated']); // reopened one level up
  });

  it('warns of a deadline about to pass once, however often the job runs', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G02', { category: 'flying_wire_charging' }); // claim within 30 min
    const [{ due }] = await t.database.rows<{ due: string }>(sql`SELECT to_json(claim_deadline) #>> '{}' AS due FROM requests WHERE ticket = ${ticket}`);
    const early = new Date(new Date(due).getTime() - 40 * 60_000);
    await warnDeadlines(t.database, early);
    expect(await kindsFor('xsl-g02-zhou', ticket)).toEqual(['new_request']); // 40 minutes left: not yet
    const soon = new Date(new Date(due).getTime() - 20 * 60_000);
    await Promise.all([warnDeadlines(t.database, soon), warnDeadlines(t.database, soon)]);
    await warnDeadlines(t.database, new Date(soon.getTime() + 60_000));
    expect(await kindsFor('xsl-g02-zhou', ticket)).toEqual(['deadline_soon', 'new_request']);
    expect(await kindsFor('xsl-g01-zhao', ticket)).toEqual([]);
  });

  it('writes no notification when the event that would cause it is not written', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const count = async () => (await list('xsl-g01-zhao')).notifications.filter((n) => n.ticket === ticket).length;
    const before = await count();
    // a dispatch to someone outside the request's area is refused: neither event nor notification
    expect((await staffPost('xsl-g01-wu', `/api/staff/requests/${ticket}/dispatch`, { assigneeId: 'MS-S013' })).status).toBe(422);
    expect(await kindsFor('xsl-g02-zhou', ticket)).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('answers 401 to the list, marking read and the stream without a session', async () => {
    expect((await call(t, 'GET', '/api/notifications')).status).toBe(401);
    expect((await call(t, 'POST', '/api/notifications/read', { body: { all: true } })).status).toBe(401);
    expect((await call(t, 'GET', '/api/notifications/stream')).status).toBe(401);
  });

  it('pushes a notification to its recipient’s own stream and to no public, kiosk or other staff stream', async () => {
    const marker = `MARKER-${Math.random().toString(36).slice(2)}`;
    await t.database.rows(sql`INSERT INTO kiosk_tokens (token_hash, hint, area_id, label) VALUES (${hashToken('kiosk-notify-test')}, 'test', 'MS-XSL', 'test wall') ON CONFLICT DO NOTHING`);
    const open = async (path: string, cookie?: string) => {
      const res = await t.app.request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      const reader = new SseReader(res.body!);
      await reader.next(5000); // connected: the subscription is in place
      return reader;
    };
    const mine = await open('/api/notifications/stream', cookies['xsl-g01-zhao']);
    const other = await open('/api/notifications/stream', cookies['xsl-g02-zhou']);
    const publicStream = await open('/api/events');
    const kiosk = await open('/api/events?kiosk=kiosk-notify-test');
    const { ticket } = await fileIn(t, 'MS-XSL-G01', { description: `三楼楼道漏水 ${marker}`, contact: '136-0000-4321' });

    const told = JSON.parse((await mine.next(5000, 'notification')).data!);
    expect(told).toMatchObject({ kind: 'new_request', ticket, category: 'blocked_drain', readAt: null });
    expect(JSON.stringify(told)).not.toContain(marker); // not even the recipient's lock screen shows the resident's words
    expect(await other.collect(1500, 'notification')).toEqual([]);
    for (const [name, stream] of [['public', publicStream], ['kiosk', kiosk]] as const) {
      const raw: string[] = [];
      for (;;) {
        try {
          const m = await stream.next(1500);
          raw.push(JSON.stringify(m));
        } catch { break; }
      }
      expect(raw.some((m) => m.includes(ticket)), `${name} saw the filing`).toBe(true);
      const all = raw.join('\n');
      expect(all, name).not.toContain(marker);
      expect(all, name).not.toContain('136-0000-4321');
      expect(all, name).not.toContain('new_request');
      expect(all, name).not.toContain('"event":"notification"');
    }
    await Promise.all([mine, other, publicStream, kiosk].map((s) => s.close()));
  });
});
