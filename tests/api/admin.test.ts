import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, signIn } from '../helpers/staff.ts';

// The administration console's People section (issue 8): the roster and accounts, kiosk links and
// Open311 keys, by scope — a secretary their community, the street administrator everything —
// with every change in admin_events.

describe.each(modes())('the administration console on %s', (mode) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const as = (who: string, method: string, path: string, body?: unknown) => call(t, method, path, { cookie: cookies[who], body });
  const events = async (action: string) => t.database.rows<{ actor: string; subject: string; note: string | null }>(
    sql`SELECT actor, subject, note FROM admin_events WHERE action = ${action} ORDER BY id`);

  beforeAll(async () => {
    t = await openTestApp(mode);
    for (const who of ['admin', 'xsl-shuji', 'mzl-shuji', 'xsl-g01-zhao']) cookies[who] = await signIn(t, who);
  });
  afterAll(async () => { await t?.close(); });

  it('asks anonymous callers to sign in and refuses grid workers with not_admin', async () => {
    for (const [method, path] of [['GET', '/api/admin/staff'], ['POST', '/api/admin/kiosks'], ['GET', '/api/admin/api-keys'], ['GET', '/api/admin/events']]) {
      const anonymous = await call(t, method, path, { body: method === 'POST' ? { label: 'x', areaId: 'MS-XSL' } : undefined });
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).code).toBe('sign_in_required');
      const worker = await as('xsl-g01-zhao', method, path, method === 'POST' ? { label: 'x', areaId: 'MS-XSL' } : undefined);
      expect(worker.status).toBe(403);
      expect((await worker.json()).code).toBe('not_admin');
    }
  });

  it('shows a secretary the people of their own community only, and the street administrator everyone', async () => {
    const mine = await (await as('xsl-shuji', 'GET', '/api/admin/staff')).json();
    const all = await (await as('admin', 'GET', '/api/admin/staff')).json();
    const [{ inXsl }] = await t.database.rows<{ inXsl: number }>(sql`
      SELECT count(*)::int AS "inXsl" FROM staff s JOIN areas a ON a.id = s.area_id WHERE s.area_id = 'MS-XSL' OR a.parent_id = 'MS-XSL'
        OR a.parent_id IN (SELECT id FROM areas WHERE parent_id = 'MS-XSL')`);
    expect(mine.staff.length).toBe(inXsl);
    expect(mine.staff.every((s: any) => s.areaId.startsWith('MS-XSL'))).toBe(true);
    expect(all.staff.length).toBe((await t.database.rows(sql`SELECT id FROM staff`)).length);
    expect(mine.roles).not.toContain('street_admin');
    expect(mine.areas.map((a: any) => a.id)).not.toContain('MS-MZL');
    expect(all.staff.find((s: any) => s.username === 'xsl-g01-zhao')).toMatchObject({ role: 'grid_worker', disabled: false });
  });

  it('adds a grid worker with an account whose password is answered once and signs in, audited', async () => {
    const res = await as('xsl-shuji', 'POST', '/api/admin/staff', {
      name: '钱小满', role: 'grid_worker', areaId: 'MS-XSL-G02', phone: '139-0000-1111', phonePublic: true, username: 'qian-xm',
    });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made.staff).toMatchObject({ name: '钱小满', areaId: 'MS-XSL-G02', phone: '139-0000-1111', phonePublic: true, username: 'qian-xm' });
    expect(made.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await t.post('/api/session', { username: 'qian-xm', password: made.password })).status).toBe(200);
    expect(await events('account_created')).toContainEqual({ actor: 'xsl-shuji', subject: 'qian-xm', note: 'grid_worker' });
    const list = await (await as('xsl-shuji', 'GET', '/api/admin/staff')).json();
    expect(JSON.stringify(list)).not.toContain(made.password);
  });

  it('adds a party household to the roster without an account', async () => {
    const res = await as('xsl-shuji', 'POST', '/api/admin/staff', { name: '党员户 孙大姐', role: 'party_household', areaId: 'MS-XSL-G01' });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toMatchObject({ password: null, staff: { username: null, role: 'party_household' } });
    expect((await events('staff_added')).map((e) => e.subject)).toContain(made.staff.id);
  });

  it('refuses a secretary another community, a higher role, and another community\'s people (403 with code)', async () => {
    const elsewhere = await as('xsl-shuji', 'POST', '/api/admin/staff', { name: '外社区', role: 'grid_worker', areaId: 'MS-MZL' });
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.json()).toMatchObject({ code: 'out_of_scope', field: 'areaId' });
    const higher = await as('xsl-shuji', 'POST', '/api/admin/staff', { name: '升职', role: 'secretary', areaId: 'MS-XSL' });
    expect(higher.status).toBe(403);
    expect(await higher.json()).toMatchObject({ code: 'role_not_allowed', field: 'role' });
    const [other] = await t.database.rows<{ id: string }>(sql`SELECT s.id FROM accounts a JOIN staff s ON s.id = a.staff_id WHERE a.username = 'mzl-shuji'`);
    for (const [method, path, body] of [
      ['PATCH', `/api/admin/staff/${other.id}`, { phone: '0371-1234567' }], ['POST', `/api/admin/staff/${other.id}/disable`],
      ['POST', `/api/admin/staff/${other.id}/reset-password`],
    ] as const) {
      const res = await as('xsl-shuji', method, path, body);
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe('out_of_scope');
    }
    // a secretary cannot move one of their people out of their community (nor themself: own_account, below)
    const [worker] = await t.database.rows<{ id: string; area: string }>(sql`
      SELECT id, area_id AS area FROM staff WHERE role = 'grid_worker' AND area_id LIKE 'MS-MZL-%' ORDER BY id LIMIT 1`);
    const moved = await as('mzl-shuji', 'PATCH', `/api/admin/staff/${worker.id}`, { areaId: 'MS-XSL' });
    expect((await moved.json()).code).toBe('out_of_scope');
    expect(await t.database.rows(sql`SELECT area_id FROM staff WHERE id = ${worker.id}`)).toEqual([{ area_id: worker.area }]);
  });

  it('edits phone and whether it is public, audited with the fields changed', async () => {
    const [zhao] = await t.database.rows<{ id: string }>(sql`SELECT staff_id AS id FROM accounts WHERE username = 'xsl-g01-zhao'`);
    const res = await as('xsl-shuji', 'PATCH', `/api/admin/staff/${zhao.id}`, { phone: '138 0000 2222', phonePublic: false });
    expect(res.status).toBe(200);
    expect((await res.json()).staff).toMatchObject({ phone: '138 0000 2222', phonePublic: false });
    expect(await events('staff_updated')).toContainEqual({ actor: 'xsl-shuji', subject: zhao.id, note: 'phone, phonePublic' });
  });

  it('refuses hostile and malformed input with a code and writes nothing', async () => {
    const before = await t.database.rows(sql`SELECT count(*)::int AS n FROM staff`);
    const cases: [unknown, string, string?][] = [
      [{ name: '', role: 'grid_worker', areaId: 'MS-XSL-G01' }, 'required', 'name'],
      [{ name: 'x', role: 'emperor', areaId: 'MS-XSL-G01' }, 'invalid_value', 'role'],
      [{ name: 'x', role: 'grid_worker', areaId: 'MS-XSL-G01', phone: "1'; DROP TABLE staff;--" }, 'invalid_value', 'phone'],
      [{ name: 'x', role: 'grid_worker', areaId: 'MS-XSL-G01', username: 'Robert"); DROP' }, 'invalid_value', 'username'],
      [{ name: 'x', role: 'grid_worker', areaId: 'NOPE' }, 'area_not_found', 'areaId'],
      [{ name: 'x', role: 'grid_worker', areaId: 'MS-XSL-G01', admin: true }, 'unknown_field'],
      [{ name: 'x'.repeat(41), role: 'grid_worker', areaId: 'MS-XSL-G01' }, 'too_long', 'name'],
      ['[1,2]', 'invalid_body'],
      [{ name: 'x', role: 'grid_worker', areaId: 'MS-XSL-G01', username: 'admin' }, 'username_taken', 'username'],
    ];
    for (const [body, code, field] of cases) {
      const res = await as('admin', 'POST', '/api/admin/staff', body);
      const answer = await res.json();
      expect(answer.code, JSON.stringify(body)).toBe(code);
      if (field) expect(answer.field).toBe(field);
    }
    expect(await t.database.rows(sql`SELECT count(*)::int AS n FROM staff`)).toEqual(before);
    expect((await as('admin', 'PATCH', '/api/admin/staff/NOBODY', { name: 'x' })).status).toBe(404);
    expect((await as('admin', 'POST', '/api/admin/kiosks/abc/revoke')).status).toBe(404);
  });

  it('resets a password (shown once, old sessions end) and disables an account; not one\'s own', async () => {
    const [zhou] = await t.database.rows<{ id: string }>(sql`SELECT staff_id AS id FROM accounts WHERE username = 'xsl-g01-zhou'`);
    const old = await signIn(t, 'xsl-g01-zhou');
    const reset = await (await as('xsl-shuji', 'POST', `/api/admin/staff/${zhou.id}/reset-password`)).json();
    expect(reset.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await call(t, 'GET', '/api/session', { cookie: old })).status).toBe(401);
    expect((await t.post('/api/session', { username: 'xsl-g01-zhou', password: reset.password })).status).toBe(200);
    const disabled = await (await as('xsl-shuji', 'POST', `/api/admin/staff/${zhou.id}/disable`)).json();
    expect(disabled.staff.disabled).toBe(true);
    expect((await t.post('/api/session', { username: 'xsl-g01-zhou', password: reset.password })).status).toBe(401);
    expect(await events('account_disabled')).toContainEqual({ actor: 'xsl-shuji', subject: 'xsl-g01-zhou', note: null });
    const [mediator] = await t.database.rows<{ id: string }>(sql`SELECT staff_id AS id FROM accounts WHERE username = 'mediator'`);
    expect((await (await as('admin', 'POST', `/api/admin/staff/${mediator.id}/disable`)).json()).staff.disabled).toBe(true);
    const [boss] = await t.database.rows<{ id: string }>(sql`SELECT staff_id AS id FROM accounts WHERE username = 'admin'`);
    expect((await (await as('admin', 'POST', `/api/admin/staff/${boss.id}/disable`)).json()).code).toBe('own_account');

    // enabled again: the same password signs in, and the change is in the log
    const enabled = await (await as('xsl-shuji', 'POST', `/api/admin/staff/${zhou.id}/enable`)).json();
    expect(enabled.staff.disabled).toBe(false);
    expect((await t.post('/api/session', { username: 'xsl-g01-zhou', password: reset.password })).status).toBe(200);
    expect(await events('account_enabled')).toContainEqual({ actor: 'xsl-shuji', subject: 'xsl-g01-zhou', note: null });
    expect((await as('mzl-shuji', 'POST', `/api/admin/staff/${zhou.id}/enable`)).status).toBe(403); // not their community
  });

  it('does not let an administrator change their own role or area, and writes nothing when refused', async () => {
    const [secretary] = await t.database.rows<{ id: string; role: string; area: string }>(sql`
      SELECT s.id, s.role, s.area_id AS area FROM accounts a JOIN staff s ON s.id = a.staff_id WHERE a.username = 'xsl-shuji'`);
    const demote = await as('xsl-shuji', 'PATCH', `/api/admin/staff/${secretary.id}`, { role: 'grid_worker' });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ code: 'own_account', field: 'role' });
    const move = await as('xsl-shuji', 'PATCH', `/api/admin/staff/${secretary.id}`, { areaId: 'MS-XSL-G01' });
    expect((await move.json()).code).toBe('own_account');
    expect(await t.database.rows(sql`SELECT role, area_id AS area FROM staff WHERE id = ${secretary.id}`)).toEqual([{ role: secretary.role, area: secretary.area }]);
    // their own phone they may change
    expect((await as('xsl-shuji', 'PATCH', `/api/admin/staff/${secretary.id}`, { phone: '0391-1234567' })).status).toBe(200);
  });

  it('creates a kiosk link that opens the wall once made and not once revoked; only its hash is kept', async () => {
    const res = await as('mzl-shuji', 'POST', '/api/admin/kiosks', { label: '民主路社区 会议室', areaId: 'MS-MZL' });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made.url).toBe(`http://localhost/wall?kiosk=${made.token}`);
    expect(made.kiosk).toMatchObject({ label: '民主路社区 会议室', areaId: 'MS-MZL', hint: made.token.slice(-4), revokedAt: null });
    expect((await t.get(`/api/stats?kiosk=${made.token}`)).status).toBe(200);
    expect(JSON.stringify(await t.database.rows(sql`SELECT * FROM kiosk_tokens`))).not.toContain(made.token);
    const listed = await (await as('mzl-shuji', 'GET', '/api/admin/kiosks')).json();
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect(listed.kiosks.every((k: any) => k.areaId.startsWith('MS-MZL'))).toBe(true);

    const foreign = await as('xsl-shuji', 'POST', `/api/admin/kiosks/${made.kiosk.id}/revoke`);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).code).toBe('out_of_scope');
    const revoked = await (await as('mzl-shuji', 'POST', `/api/admin/kiosks/${made.kiosk.id}/revoke`)).json();
    expect(revoked.kiosk.revokedAt).not.toBeNull();
    expect((await (await t.get(`/api/stats?kiosk=${made.token}`)).json()).code).toBe('kiosk_invalid');
    expect((await events('kiosk_revoked')).map((e) => e.actor)).toEqual(['mzl-shuji']);
  });

  it('keeps the demo kiosk link working after its token was hashed by the migration', async () => {
    expect((await t.get('/api/stats?kiosk=demo-wall-xsl')).status).toBe(200);
  });

  it('lets only the street administrator make and revoke Open311 keys, which file until revoked', async () => {
    const secretary = await as('xsl-shuji', 'POST', '/api/admin/api-keys', { label: '12345 热线' });
    expect(secretary.status).toBe(403);
    expect((await secretary.json()).code).toBe('not_admin');
    const made = await (await as('admin', 'POST', '/api/admin/api-keys', { label: '12345 热线' })).json();
    expect(made.key).toMatchObject({ label: '12345 热线', hint: made.secret.slice(-4) });
    const file = () => t.app.request('http://localhost/open311/v2/requests.json', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: made.secret, service_code: 'street_light', lat: '0', long: '0', description: '路灯不亮' }),
    });
    expect((await file()).status).not.toBe(403); // the key is accepted (the point itself is outside the street)
    expect(JSON.stringify(await (await as('admin', 'GET', '/api/admin/api-keys')).json())).not.toContain(made.secret);
    await as('admin', 'POST', `/api/admin/api-keys/${made.key.id}/revoke`);
    const after = await file();
    expect(after.status).toBe(403);
    expect(await events('api_key_revoked')).toContainEqual({ actor: 'admin', subject: `api_key:${made.key.id}`, note: '12345 热线' });
  });

  it('shows the change log: all of it to the street administrator, a secretary their own part', async () => {
    const all = (await (await as('admin', 'GET', '/api/admin/events?limit=500')).json()).events;
    const mine = (await (await as('mzl-shuji', 'GET', '/api/admin/events?limit=500')).json()).events;
    expect(all.length).toBeGreaterThan(mine.length);
    expect(mine.every((e: any) => e.actor === 'mzl-shuji' || e.subject?.startsWith('mzl') || e.subject?.startsWith('MS-'))).toBe(true);
    expect(mine.some((e: any) => e.actor === 'xsl-shuji')).toBe(false);
  });
});
