import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccount, disableAccount, resetPassword } from '../../api/auth/admin.ts';
import { setupNeeded } from '../../api/auth/setup.ts';
import { demoAccounts } from '../../api/demo/accounts.ts';
import { demoState, removeDemo } from '../../api/demo/mode.ts';
import { emptyDatabaseFor, modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { runScript, startServer, until } from '../helpers/server.ts';
import { call, demoPassword, signIn } from '../helpers/staff.ts';
import { freePort } from '../helpers/ports.ts';

// Into service (issue 8, part 1): an empty start with a one-time setup link, accounts from the
// command line, and a demo database turned to real use in one step.

describe.each(modes())('an empty start (DEMO_DATA=off) on %s', (mode) => {
  let server: ReturnType<typeof startServer>;
  let database: Awaited<ReturnType<typeof emptyDatabaseFor>>;
  let base: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const token = () => /\/setup\?token=([A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? '';

  beforeAll(async () => {
    database = await emptyDatabaseFor(mode);
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = startServer({ PORT: String(port), DEMO_DATA: 'off', ...database.env });
    await until(() => /ready in/.test(server.output()), 120_000);
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await database?.drop();
  });

  it('loads no demo: no demo account signs in, none is listed, the health says so', async () => {
    expect(server.output()).toMatch(/starting empty/);
    expect((await (await fetch(`${base}/api/health`)).json()).demo).toBe(false);
    expect((await fetch(`${base}/api/session/demo-accounts`)).status).toBe(404);
    for (const { username } of demoAccounts) {
      const res = await post('/api/session', { username, password: demoPassword });
      expect((await res.json()).code).toBe('wrong_credentials');
    }
    expect((await fetch(`${base}/api/stats?kiosk=demo-wall-xsl`)).status).toBe(403);
  });

  it('prints a setup link and says setup is needed', async () => {
    expect(token().length).toBeGreaterThan(20);
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: true });
  });

  it('refuses a wrong token and a short password, and writes nothing', async () => {
    const wrong = await post('/api/setup', { token: 'x'.repeat(32), username: 'guo', name: '郭为民', password: 'a-long-password' });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).code).toBe('setup_token_invalid');
    const short = await post('/api/setup', { token: token(), username: 'guo', name: '郭为民', password: 'short' });
    expect(await short.json()).toMatchObject({ code: 'too_short', field: 'password' });
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: true });
  });

  it('makes the first administrator once: of two uses at the same time exactly one wins, and it signs them in', async () => {
    const admin = { token: token(), username: 'guo', name: '郭为民', password: 'a-long-password' };
    const answers = await Promise.all([post('/api/setup', admin), post('/api/setup', { ...admin, username: 'chen' })]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(201);
    expect([403, 409]).toContain(statuses[1]);
    const won = answers.find((a) => a.status === 201)!;
    const cookie = (won.headers.get('set-cookie') ?? '').split(';')[0];
    const me = await (await fetch(`${base}/api/session`, { headers: { cookie } })).json();
    expect(me.user).toMatchObject({ role: 'street_admin', areaId: null });
    const again = await post('/api/setup', admin);
    expect((await again.json()).code).toBe('setup_done');
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: false });
  });

  it('makes accounts from the command line, with a password printed once', async () => {
    // PGlite's directory belongs to the running server: the script refuses and says why
    const env = database.env;
    if (mode === 'pglite') {
      const refused = await runScript('scripts/user.ts', ['add', 'deputy', '--role', 'street_admin'], env);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/in use/);
      return;
    }
    const made = await runScript('scripts/user.ts', ['add', 'deputy', '--role', 'street_admin', '--name', '副主任'], env);
    expect(made.code).toBe(0);
    const password = /shown this once: (\S+)/.exec(made.output)?.[1];
    expect(password).toBeTruthy();
    expect((await post('/api/session', { username: 'deputy', password })).status).toBe(200);
    const taken = await runScript('scripts/user.ts', ['add', 'deputy', '--role', 'street_admin'], env);
    expect(taken.code).toBe(1);
    expect(taken.output).toMatch(/username_taken/);
  });
});

describe.each(modes())('accounts and the demo on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(() => t?.close());

  it('signs in a new account with the password it was given, and keeps the change on record', async () => {
    const made = await createAccount(t.database, { username: 'li-new', role: 'grid_worker', areaId: 'MS-XSL-G01', name: '李新', actor: 'cli' });
    expect((await t.post('/api/session', { username: 'li-new', password: made.password })).status).toBe(200);
    const [event] = await t.database.rows<{ action: string }>(sql`SELECT action FROM admin_events WHERE subject = 'li-new'`);
    expect(event.action).toBe('account_created');
  });

  it('refuses a taken username, an unknown area and a worker without an area', async () => {
    await expect(createAccount(t.database, { username: 'admin', role: 'street_admin', actor: 'cli' })).rejects.toMatchObject({ code: 'username_taken' });
    await expect(createAccount(t.database, { username: 'nobody-x', role: 'grid_worker', areaId: 'NOPE', actor: 'cli' })).rejects.toMatchObject({ code: 'area_not_found' });
    await expect(createAccount(t.database, { username: 'nobody-y', role: 'grid_worker', actor: 'cli' })).rejects.toMatchObject({ code: 'required', field: 'area' });
  });

  it('resets a password: the old one fails, the new one signs in, the old sessions end', async () => {
    const cookie = await signIn(t, 'xsl-g02-zhou');
    const password = await resetPassword(t.database, 'xsl-g02-zhou', 'cli');
    expect((await call(t, 'GET', '/api/session', { cookie })).status).toBe(401);
    expect((await t.post('/api/session', { username: 'xsl-g02-zhou', password: demoPassword })).status).toBe(401);
    expect((await t.post('/api/session', { username: 'xsl-g02-zhou', password })).status).toBe(200);
  });

  it('disables an account: no more sign-in, its open session ends, and it answers like an unknown one', async () => {
    const cookie = await signIn(t, 'xsl-g01-zhou');
    await disableAccount(t.database, 'xsl-g01-zhou', 'cli');
    expect((await call(t, 'GET', '/api/staff/requests', { cookie })).status).toBe(401);
    const res = await t.post('/api/session', { username: 'xsl-g01-zhou', password: demoPassword });
    expect((await res.json()).code).toBe('wrong_credentials');
  });

  it('removes the demo whole in one step: data, accounts, kiosk links and keys; the setup link comes back', async () => {
    expect(await demoState(t.database)).toBe('demo');
    await removeDemo(t.database);
    expect(await demoState(t.database)).toBe('demo removed');
    const [counts] = await t.database.rows<Record<string, number>>(sql`
      SELECT (SELECT count(*)::int FROM areas) AS areas, (SELECT count(*)::int FROM requests) AS requests,
             (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM kiosk_tokens) AS kiosks,
             (SELECT count(*)::int FROM api_keys) AS keys, (SELECT count(*)::int FROM staff) AS staff`);
    expect(counts).toEqual({ areas: 0, requests: 0, accounts: 0, kiosks: 0, keys: 0, staff: 0 });
    expect((await t.post('/api/session', { username: 'admin', password: demoPassword })).status).toBe(401);
    expect((await t.get('/api/session/demo-accounts')).status).toBe(404);
    expect((await t.get('/api/stats?kiosk=demo-wall-xsl')).status).toBe(403);
    expect(await setupNeeded(t.database)).toBe(true);
    const [removed] = await t.database.rows<{ action: string }>(sql`SELECT action FROM admin_events ORDER BY id DESC LIMIT 1`);
    expect(removed.action).toBe('demo_removed');
  });
});
