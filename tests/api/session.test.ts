import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, demoPassword, signIn } from '../helpers/staff.ts';
import { hashPassword, verifyPassword } from '../../api/auth/passwords.ts';
import { hashToken, inScope, type StaffUser } from '../../api/auth/session.ts';

describe('password hashing', () => {
  it('verifies the password it hashed and refuses another', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
  });

  it('salts each hash, so the same password hashes differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats a malformed stored hash as no match', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$16384$8$1$c2FsdA$c2hvcnQ')).toBe(false);
  });
});

describe('scope rule', () => {
  const user = (role: StaffUser['role'], areaId: string, areaLevel: StaffUser['areaLevel']): StaffUser =>
    ({ username: 'u', staffId: 's', name: 'n', role, areaId, areaName: areaId, areaLevel });
  const request = { districtId: 'D1', streetId: 'MS', communityId: 'MS-XSL', gridId: 'MS-XSL-G01', microgridId: 'MS-XSL-G01-M1', escalationLevel: 0 };

  it.each([
    ['street_admin', 'D1', 'district', true],
    ['street_admin', 'D2', 'district', false],
    ['street_admin', 'MS', 'street', true],
    ['secretary', 'MS-XSL', 'community', true],
    ['secretary', 'MS-MZL', 'community', false],
    ['grid_worker', 'MS-XSL-G01', 'grid', true],
    ['grid_worker', 'MS-XSL-G02', 'grid', false],
    ['grid_leader', 'MS-XSL-G01', 'grid', true],
    ['mediator', 'MS-XSL', 'community', false],
    ['party_household', 'MS-XSL-G01-M1', 'microgrid', false],
  ] as const)('lets a %s of %s see a G01 request: %s', (role, area, level, expected) => {
    expect(inScope(user(role, area, level), request)).toBe(expected);
  });

  it('lets a mediator see a request once it is escalated to level 1', () => {
    expect(inScope(user('mediator', 'MS-XSL', 'community'), { ...request, escalationLevel: 1 })).toBe(true);
  });
});

describe.each(modes())('staff sign-in on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('signs in a demo account with an HttpOnly, SameSite=Lax session cookie and answers the user', async () => {
    const res = await t.post('/api/session', { username: 'xsl-g01-zhao', password: demoPassword });
    expect(res.status).toBe(200);
    const { user } = await res.json();
    expect(user).toEqual({
      username: 'xsl-g01-zhao', staffId: 'MS-S007', name: '赵和睦', role: 'grid_worker',
      areaId: 'MS-XSL-G01', areaName: expect.any(String), areaLevel: 'grid',
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gm_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=43200/);
  });

  it('stores only the sha256 of the session token', async () => {
    const cookie = await signIn(t, 'xsl-shuji');
    const token = cookie.split('=')[1];
    const rows = await t.database.rows<{ token_hash: string }>(sql`SELECT token_hash FROM sessions WHERE username = 'xsl-shuji'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.token_hash).not.toContain(token);
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('answers who is signed in on GET /api/session', async () => {
    const cookie = await signIn(t, 'admin');
    const res = await call(t, 'GET', '/api/session', { cookie });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ username: 'admin', role: 'street_admin', areaId: 'MS', areaLevel: 'street' });
  });

  it('answers 401 on GET /api/session without a cookie or with a forged one', async () => {
    expect((await call(t, 'GET', '/api/session')).status).toBe(401);
    expect((await call(t, 'GET', '/api/session', { cookie: 'gm_session=forged-token-of-nobody' })).status).toBe(401);
  });

  it('answers 401 for an expired session', async () => {
    const cookie = await signIn(t, 'mediator');
    await t.database.rows(sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE username = 'mediator' RETURNING username`);
    expect((await call(t, 'GET', '/api/session', { cookie })).status).toBe(401);
  });

  it('signs out: DELETE answers 204, clears the cookie, and the old cookie opens nothing', async () => {
    const cookie = await signIn(t, 'xsl-g01-wu');
    const res = await call(t, 'DELETE', '/api/session', { cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/gm_session=;.*Max-Age=0/);
    expect((await call(t, 'GET', '/api/session', { cookie })).status).toBe(401);
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const wrong = await t.post('/api/session', { username: 'xsl-g01-zhou', password: 'nope' });
    const unknown = await t.post('/api/session', { username: 'nobody-here', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).error).toBe((await unknown.json()).error);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('counts wrong passwords per account and device: after 5 the device waits (429, Retry-After), even with the right password', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await (await t.post('/api/session', { username: 'mzl-shuji', password: `wrong-${i}` })).json());
    expect(answers.map((a) => [a.code, a.triesLeft])).toEqual([
      ['wrong_credentials', 4], ['wrong_credentials', 3], ['wrong_credentials', 2], ['wrong_credentials', 1], ['wrong_credentials', 0],
    ]);
    const res = await t.post('/api/session', { username: 'mzl-shuji', password: demoPassword });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body.code).toBe('sign_in_throttled');
    expect(body.retryAfter).toBeGreaterThan(14 * 60);
    expect(Number(res.headers.get('retry-after'))).toBe(body.retryAfter);
  });

  it('lets the device try again once its count has expired', async () => {
    for (let i = 0; i < 5; i++) await t.post('/api/session', { username: 'xsl-g02-zhou', password: 'wrong' });
    await t.database.rows(sql`UPDATE sign_in_failures SET until = now() - interval '1 second' WHERE username = 'xsl-g02-zhou' RETURNING username`);
    const res = await t.post('/api/session', { username: 'xsl-g02-zhou', password: demoPassword });
    expect(res.status).toBe(200);
    expect(await t.database.rows(sql`SELECT 1 FROM sign_in_failures WHERE username = 'xsl-g02-zhou'`)).toEqual([]);
  });

  it('resets the count on a successful sign-in, so failures must be in a row', async () => {
    for (let i = 0; i < 4; i++) await t.post('/api/session', { username: 'xsl-g01-wu', password: 'wrong' });
    expect((await t.post('/api/session', { username: 'xsl-g01-wu', password: demoPassword })).status).toBe(200);
    const again = await t.post('/api/session', { username: 'xsl-g01-wu', password: 'wrong' });
    expect(again.status).toBe(401);
    expect((await again.json()).triesLeft).toBe(4);
  });

  it.each([
    ['not json', undefined],
    [{ username: 'admin' }, 'password'],
    [{ password: 'x' }, 'username'],
    [{ username: 42, password: 'x' }, 'username'],
    [{ username: 'admin', password: 'x'.repeat(1001) }, 'password'],
  ])('refuses the malformed body %j with a 400', async (body, field) => {
    const res = await t.post('/api/session', body);
    expect(res.status).toBe(400);
    if (field) expect((await res.json()).field).toBe(field);
  });

  it('treats hostile usernames as text', async () => {
    const res = await t.post('/api/session', { username: "admin' OR '1'='1", password: "' OR '1'='1" });
    expect(res.status).toBe(401);
  });

  it('lists the demo accounts, without passwords, when the demo data is loaded', async () => {
    const res = await t.get('/api/session/demo-accounts');
    expect(res.status).toBe(200);
    const { accounts } = await res.json();
    expect(accounts.map((a: any) => a.username)).toEqual(expect.arrayContaining(['admin', 'xsl-shuji', 'mediator', 'xsl-g01-zhao']));
    expect(JSON.stringify(accounts)).not.toMatch(/scrypt|password|demo1234/);
  });

  it('creates the demo kiosk token and Open311 key rows with the demo data, kept as their sha256', async () => {
    expect(await t.database.rows(sql`SELECT area_id FROM kiosk_tokens WHERE token_hash = ${hashToken('demo-wall-xsl')}`)).toEqual([{ area_id: 'MS-XSL' }]);
    expect((await t.database.rows(sql`SELECT 1 FROM api_keys WHERE key_hash = ${hashToken('demo-open311-key')}`)).length).toBe(1);
    expect(JSON.stringify(await t.database.rows(sql`SELECT (SELECT json_agg(k) FROM kiosk_tokens k) AS kiosks, (SELECT json_agg(k) FROM api_keys k) AS keys`)))
      .not.toMatch(/demo-wall-xsl|demo-open311-key/);
  });
});
