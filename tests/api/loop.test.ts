import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { requestStatuses, transitions } from '../../api/contract/vocabulary.ts';
import { escalateOverdue } from '../../api/loop/escalation.ts';

describe.each(modes())('the closed loop for staff on %s', (mode) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const as = (user: string) => cookies[user];
  beforeAll(async () => {
    t = await openTestApp(mode);
    for (const u of ['admin', 'xsl-shuji', 'mediator', 'xsl-g01-wu', 'xsl-g01-zhao', 'xsl-g01-zhou', 'xsl-g02-zhou', 'mzl-shuji']) {
      cookies[u] = await signIn(t, u);
    }
  });
  afterAll(async () => { await t?.close(); });

  const post = (user: string | null, path: string, body: unknown = {}) => call(t, 'POST', path, { cookie: user ? as(user) : undefined, body });
  const get = (user: string | null, path: string) => call(t, 'GET', path, { cookie: user ? as(user) : undefined });
  const g01 = () => fileIn(t, 'MS-XSL-G01');
  const step = async (user: string, ticket: string, to: string, extra: Record<string, unknown> = {}) =>
    post(user, `/api/staff/requests/${ticket}/status`, { to, ...extra });
  const statusOf = async (ticket: string) => (await t.database.rows<{ status: string }>(sql`SELECT status FROM requests WHERE ticket = ${ticket}`))[0].status;
  const eventsOf = (ticket: string) => t.database.rows<{ actor: string; action: string; from_status: string | null; to_status: string | null; note: string | null }>(sql`
    SELECT e.actor, e.action, e.from_status, e.to_status, e.note FROM request_events e JOIN requests r ON r.id = e.request_id
    WHERE r.ticket = ${ticket} ORDER BY e.id`);

  describe('permissions', () => {
    it('answers 401 to every staff endpoint without a session', async () => {
      const { ticket } = await g01();
      for (const [method, path] of [
        ['GET', '/api/staff/requests'], ['GET', `/api/staff/requests/${ticket}`], ['POST', `/api/staff/requests/${ticket}/claim`],
        ['POST', `/api/staff/requests/${ticket}/status`], ['POST', `/api/staff/requests/${ticket}/escalate`],
        ['POST', `/api/staff/requests/${ticket}/notes`], ['POST', `/api/staff/requests/${ticket}/dispatch`],
      ]) {
        expect((await call(t, method, path, method === 'GET' ? {} : { body: {} })).status, `${method} ${path}`).toBe(401);
      }
      expect(await statusOf(ticket)).toBe('collected');
    });

    it('answers 403 when a grid worker of G01 touches a G02 request, and changes nothing', async () => {
      const { ticket } = await fileIn(t, 'MS-XSL-G02');
      expect((await get('xsl-g01-zhao', `/api/staff/requests/${ticket}`)).status).toBe(403);
      expect((await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/claim`)).status).toBe(403);
      expect((await step('xsl-g01-zhao', ticket, 'rejected', { note: 'x' })).status).toBe(403);
      expect((await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/notes`, { note: 'x' })).status).toBe(403);
      expect(await statusOf(ticket)).toBe('collected');
      expect((await eventsOf(ticket)).length).toBe(1);
    });

    it('answers 403 when the secretary of another community opens or claims a 学生路 request', async () => {
      const { ticket } = await g01();
      expect((await get('mzl-shuji', `/api/staff/requests/${ticket}`)).status).toBe(403);
      expect((await post('mzl-shuji', `/api/staff/requests/${ticket}/claim`)).status).toBe(403);
      expect(await statusOf(ticket)).toBe('collected');
    });

    it('lets the secretary of the community and the street administrator open it, with the contact', async () => {
      const { ticket } = await g01();
      for (const user of ['xsl-shuji', 'admin', 'xsl-g01-zhao']) {
        const res = await get(user, `/api/staff/requests/${ticket}`);
        expect(res.status, user).toBe(200);
        expect((await res.json()).contact).toBe('138-1234-5678');
      }
    });

    it('keeps a mediator out until the request is escalated, then lets them in', async () => {
      const { ticket } = await g01();
      expect((await get('mediator', `/api/staff/requests/${ticket}`)).status).toBe(403);
      expect((await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/escalate`, { note: '邻里纠纷需调解' })).status).toBe(200);
      expect((await get('mediator', `/api/staff/requests/${ticket}`)).status).toBe(200);
    });

    it('answers 404 for a ticket that does not exist and for hostile tickets', async () => {
      expect((await get('admin', '/api/staff/requests/GM20990101-9999')).status).toBe(404);
      expect((await get('admin', `/api/staff/requests/${encodeURIComponent("x' OR 1=1 --")}`)).status).toBe(404);
    });

    it('lists only requests in scope: a G02 worker never sees G01 requests, nor a secretary other communities', async () => {
      await g01();
      const g02 = await (await get('xsl-g02-zhou', '/api/staff/requests?scope=area&status=all')).json();
      expect(g02.requests.length).toBeGreaterThan(0);
      expect(g02.requests.every((r: any) => r.gridId === 'MS-XSL-G02' || r.assignee?.id === 'MS-S013')).toBe(true);
      const mzl = await (await get('mzl-shuji', '/api/staff/requests?scope=area&status=all')).json();
      expect(mzl.requests.length).toBeGreaterThan(0);
      expect(mzl.requests.every((r: any) => r.communityId === 'MS-MZL')).toBe(true);
    });

    it('refuses a dispatch by a grid worker with a 403', async () => {
      const { ticket } = await g01();
      const res = await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/dispatch`, { assigneeId: 'MS-S008' });
      expect(res.status).toBe(403);
    });
  });

  describe('transitions', () => {
    it('allows exactly the transitions of the table, and nothing else', () => {
      expect(Object.keys(transitions).sort()).toEqual([...requestStatuses].sort());
      expect(transitions.collected).toEqual(['claimed', 'rejected', 'duplicate']);
      expect(transitions.resolving).toEqual(['resolved', 'deliberating']);
      expect(transitions.archived).toEqual([]);
    });

    it('walks the six steps: claim → deliberate → resolve → resolved → revisit → archive, one audit event each', async () => {
      const { ticket } = await g01();
      expect((await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/claim`)).status).toBe(200);
      expect((await step('xsl-g01-zhao', ticket, 'deliberating', { note: '周二说事日上商议' })).status).toBe(200);
      expect((await step('xsl-g01-zhao', ticket, 'resolving')).status).toBe(200);
      const resolved = await step('xsl-g01-zhao', ticket, 'resolved', { outcome: '已疏通下水管道' });
      expect(resolved.status).toBe(200);
      const body = await resolved.json();
      expect(body.outcome).toBe('已疏通下水管道');
      expect(body.resolvedAt).toBeTruthy();
      expect((await step('xsl-shuji', ticket, 'revisited', { note: '电话回访，居民满意' })).status).toBe(200);
      expect((await step('xsl-shuji', ticket, 'archived')).status).toBe(200);
      const events = await eventsOf(ticket);
      expect(events.map((e) => `${e.action}:${e.from_status ?? ''}→${e.to_status}`)).toEqual([
        'filed:→collected', 'claimed:collected→claimed', 'status:claimed→deliberating', 'status:deliberating→resolving',
        'status:resolving→resolved', 'status:resolved→revisited', 'status:revisited→archived',
      ]);
      expect(events[1].actor).toBe('MS-S007');
      expect(events[5].actor).toBe('MS-S005');
    });

    it('answers an illegal transition with 409 naming the allowed ones, and writes nothing', async () => {
      const { ticket } = await g01();
      const res = await step('xsl-g01-zhao', ticket, 'resolved', { outcome: 'x' });
      expect(res.status).toBe(409);
      const body = await res.json();
      expect(body.error).toBe('cannot go from collected to resolved; allowed from collected: claimed, rejected, duplicate');
      expect(body.allowed).toEqual(['claimed', 'rejected', 'duplicate']);
      expect(await statusOf(ticket)).toBe('collected');
      expect((await eventsOf(ticket)).length).toBe(1);
    });

    it('says nothing is allowed from a closed request', async () => {
      const { ticket } = await g01();
      await step('xsl-g01-zhao', ticket, 'rejected', { note: '不属于受理范围' });
      const res = await step('xsl-g01-zhao', ticket, 'claimed');
      expect(res.status).toBe(409);
      expect((await res.json()).allowed).toEqual([]);
    });

    it('needs an outcome to resolve (400 naming outcome)', async () => {
      const { ticket } = await g01();
      await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/claim`);
      await step('xsl-g01-zhao', ticket, 'resolving');
      const res = await step('xsl-g01-zhao', ticket, 'resolved', { outcome: '  ' });
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe('outcome');
      expect(await statusOf(ticket)).toBe('resolving');
    });

    it('needs a reason to reject an open request (400 naming note)', async () => {
      const { ticket } = await g01();
      const res = await step('xsl-g01-zhao', ticket, 'rejected');
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe('note');
    });

    it('marks a duplicate of another ticket and counts it on the original', async () => {
      const first = await g01();
      const second = await g01();
      const res = await step('xsl-g01-zhao', second.ticket, 'duplicate', { duplicateOf: first.ticket });
      expect(res.status).toBe(200);
      expect((await res.json()).duplicateOf).toBe(first.ticket);
      const [orig] = await t.database.rows<{ me_too: number }>(sql`SELECT me_too FROM requests WHERE ticket = ${first.ticket}`);
      expect(orig.me_too).toBe(1);
      const detailOf = async (tk: string) => (await (await get('xsl-g01-zhao', `/api/staff/requests/${tk}`)).json()).events.at(-1);
      expect(await detailOf(second.ticket)).toMatchObject({ note: null, detail: { ticket: first.ticket } });
      expect(await detailOf(first.ticket)).toMatchObject({ action: 'me_too', note: null, detail: { ticket: second.ticket } });
    });

    it('refuses a duplicate of itself or of no ticket with a 422', async () => {
      const { ticket } = await g01();
      expect((await step('xsl-g01-zhao', ticket, 'duplicate', { duplicateOf: ticket })).status).toBe(422);
      expect((await step('xsl-g01-zhao', ticket, 'duplicate', { duplicateOf: 'GM20990101-0001' })).status).toBe(422);
      expect(await statusOf(ticket)).toBe('collected');
    });

    it.each([
      [{ to: 'flying' }, 'to'], [{}, 'to'], [{ to: 'resolving', note: 5 }, 'note'], [{ to: 'resolving', note: 'x'.repeat(2001) }, 'note'],
    ])('refuses malformed status body #%# with a 400 naming %s', async (body, field) => {
      const { ticket } = await g01();
      const res = await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/status`, body);
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe(field);
    });

    it('refuses a body that is not JSON with a 400', async () => {
      const { ticket } = await g01();
      const res = await call(t, 'POST', `/api/staff/requests/${ticket}/status`, { cookie: as('xsl-g01-zhao'), body: 'to=resolved' });
      expect(res.status).toBe(400);
    });
  });

  describe('claims and dispatch', () => {
    it('lets exactly one of two concurrent claims win; the other gets 409', async () => {
      const { ticket } = await g01();
      const [a, b] = await Promise.all([
        post('xsl-g01-zhao', `/api/staff/requests/${ticket}/claim`),
        post('xsl-g01-zhou', `/api/staff/requests/${ticket}/claim`),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const claims = (await eventsOf(ticket)).filter((e) => e.action === 'claimed');
      expect(claims.length).toBe(1);
      const [row] = await t.database.rows<{ assignee_id: string }>(sql`SELECT assignee_id FROM requests WHERE ticket = ${ticket}`);
      expect(row.assignee_id).toBe(claims[0].actor);
    });

    it('answers a second claim with 409 saying who has it', async () => {
      const { ticket } = await g01();
      await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/claim`);
      const res = await post('xsl-g01-zhou', `/api/staff/requests/${ticket}/claim`);
      expect(res.status).toBe(409);
      expect((await res.json()).error).toMatch(/赵和睦/);
    });

    it('lets a grid leader dispatch to a worker of the grid, who then finds it in their queue', async () => {
      const { ticket } = await g01();
      const res = await post('xsl-g01-wu', `/api/staff/requests/${ticket}/dispatch`, { assigneeId: 'MS-S008', note: '请今天处理' });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.status).toBe('claimed');
      expect(body.assignee).toEqual({ id: 'MS-S008', name: '周暖心' });
      const mine = await (await get('xsl-g01-zhou', '/api/staff/requests?scope=mine')).json();
      expect(mine.requests.map((r: any) => r.ticket)).toContain(ticket);
      const ev = (await eventsOf(ticket)).at(-1)!;
      expect(ev).toMatchObject({ actor: 'MS-S006', action: 'dispatched', from_status: 'collected', to_status: 'claimed', note: '请今天处理' });
      const { events } = await (await get('xsl-g01-wu', `/api/staff/requests/${ticket}`)).json();
      expect(events.at(-1).detail).toEqual({ assigneeName: '周暖心' });
    });

    it('refuses to dispatch to someone outside the request area with a 422', async () => {
      const { ticket } = await g01();
      const res = await post('xsl-shuji', `/api/staff/requests/${ticket}/dispatch`, { assigneeId: 'MS-S013' });
      expect(res.status).toBe(422);
      expect((await res.json()).field).toBe('assigneeId');
      expect(await statusOf(ticket)).toBe('collected');
    });

    it('lists the people a request can be dispatched to, workers of its grid first', async () => {
      const { ticket } = await g01();
      const { assignees } = await (await get('xsl-g01-wu', `/api/staff/requests/${ticket}/assignees`)).json();
      expect(assignees.slice(0, 2).map((a: any) => a.id).sort()).toEqual(['MS-S007', 'MS-S008']);
      expect(assignees.some((a: any) => a.id === 'MS-S013')).toBe(false);
    });
  });

  describe('queue, notes and escalation', () => {
    it('sorts the queue by time left, soonest first, each with deadlines, contact and position', async () => {
      await g01();
      const { requests } = await (await get('xsl-g01-zhao', '/api/staff/requests?scope=area&status=open')).json();
      expect(requests.length).toBeGreaterThan(1);
      const left = requests.map((r: any) => r.timeLeftMinutes);
      expect(left).toEqual([...left].sort((a: number, b: number) => a - b));
      for (const key of ['contact', 'assignee', 'claimDeadline', 'resolveDeadline', 'timeLeftMinutes', 'overdue', 'escalationLevel', 'meToo', 'lon', 'lat']) {
        expect(requests[0]).toHaveProperty(key);
      }
    });

    it.each([['scope=everything'], ['status=closed']])('refuses the query %s with a 400', async (q) => {
      expect((await get('admin', `/api/staff/requests?${q}`)).status).toBe(400);
    });

    it('appends a note as an audit event with the author', async () => {
      const { ticket } = await g01();
      const res = await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/notes`, { note: '已电话联系居民，明早上门' });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body.events.at(-1)).toMatchObject({ actor: 'MS-S007', actorName: '赵和睦', action: 'note', note: '已电话联系居民，明早上门' });
      expect((await post('xsl-g01-zhao', `/api/staff/requests/${ticket}/notes`, { note: '' })).status).toBe(400);
    });

    it('escalates by hand up the chain to the street and then refuses with 409', async () => {
      const { ticket } = await g01();
      const levels = [];
      for (let i = 0; i < 3; i++) levels.push((await (await post('admin', `/api/staff/requests/${ticket}/escalate`, { note: `第${i + 1}次上报` })).json()).escalationLevel);
      expect(levels).toEqual([1, 2, 3]);
      const res = await post('admin', `/api/staff/requests/${ticket}/escalate`, { note: '再上报' });
      expect(res.status).toBe(409);
      const { events } = await (await get('admin', `/api/staff/requests/${ticket}`)).json();
      expect(events.filter((e: any) => e.action === 'escalated').map((e: any) => [e.detail, e.note])).toEqual([
        [{ fromLevel: 0, toLevel: 1 }, '第1次上报'], [{ fromLevel: 1, toLevel: 2 }, '第2次上报'], [{ fromLevel: 2, toLevel: 3 }, '第3次上报'],
      ]);
    });

    it('escalates overdue requests automatically, one level per missed window, once per level', async () => {
      const { ticket, claimDeadline } = await fileIn(t, 'MS-XSL-G01', { category: 'flying_wire_charging' });
      const deadline = new Date(claimDeadline).getTime();
      expect(deadline - Date.now()).toBeGreaterThan(29 * 60_000); // 30 min to claim a fire hazard
      const level = async () => (await t.database.rows<{ l: number }>(sql`SELECT escalation_level AS l FROM requests WHERE ticket = ${ticket}`))[0].l;

      expect((await escalateOverdue(t.database, new Date(deadline - 60_000))).map((e) => e.ticket)).not.toContain(ticket);
      expect(await level()).toBe(0);
      expect(await escalateOverdue(t.database, new Date(deadline + 60_000))).toContainEqual({ ticket, level: 1 });
      expect(await escalateOverdue(t.database, new Date(deadline + 120_000))).not.toContainEqual(expect.objectContaining({ ticket }));
      expect(await escalateOverdue(t.database, new Date(deadline + 31 * 60_000))).toContainEqual({ ticket, level: 2 });
      await escalateOverdue(t.database, new Date(deadline + 24 * 3600_000));
      expect(await level()).toBe(3);
      const escalations = (await eventsOf(ticket)).filter((e) => e.action === 'escalated');
      expect(escalations.map((e) => e.actor)).toEqual(['system', 'system', 'system']);
      // data, not a sentence: each page words the levels and the reason in its own language
      expect(escalations.map((e) => e.note)).toEqual([null, null, null]);
      const { events } = await (await get('admin', `/api/staff/requests/${ticket}`)).json();
      expect(events.filter((e: any) => e.action === 'escalated').map((e: any) => e.detail)).toEqual([
        { fromLevel: 0, toLevel: 1, reason: 'claim_overdue' },
        { fromLevel: 1, toLevel: 2, reason: 'claim_overdue' },
        { fromLevel: 2, toLevel: 3, reason: 'claim_overdue' },
      ]);
      const { steps } = await (await t.get(`/api/requests/${ticket}`)).json();
      expect(steps.filter((s: any) => s.step === 'escalate').map((s: any) => s.toLevel)).toEqual([1, 2, 3]);
    });

    it('does not escalate requests that are closed, however late', async () => {
      const { ticket } = await g01();
      await step('xsl-g01-zhao', ticket, 'rejected', { note: '重复提交' });
      const escalated = await escalateOverdue(t.database, new Date(Date.now() + 365 * 24 * 3600_000));
      expect(escalated.map((e) => e.ticket)).not.toContain(ticket);
    });

    it('reports overdue and negative time left once the deadline has passed', async () => {
      const { ticket } = await g01();
      await t.database.rows(sql`UPDATE requests SET claim_deadline = now() - interval '10 minutes' WHERE ticket = ${ticket} RETURNING id`);
      const body = await (await get('xsl-g01-zhao', `/api/staff/requests/${ticket}`)).json();
      expect(body.overdue).toBe(true);
      expect(body.timeLeftMinutes).toBeLessThanOrEqual(-10);
    });
  });
});
