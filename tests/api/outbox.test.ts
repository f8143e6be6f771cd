import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { configureChannels, deliverDue, retryDelayMs, startOutbox } from '../../api/notify/outbox.ts';
import { smtpSender, webhookSender } from '../../api/notify/senders.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { smtpSink, webhookReceiver } from '../helpers/receivers.ts';

const staffEmail = 'zhao.hemu@jiedao.example';
const staffPhone = '138-0000-0007'; // 赵和睦's, from the demo roster
const secret = 'test-webhook-secret';

/** The text of a mail as the sink got it (nodemailer sends UTF-8 text quoted-printable or base64). */
function mailText(data: string): string {
  const [head, ...rest] = data.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/content-transfer-encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

describe.each(modes())('the outbox on %s', (mode) => {
  let t: TestApp;
  let leader: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    leader = await signIn(t, 'xsl-g01-zhao');
    await t.database.rows(sql`UPDATE staff SET email = ${staffEmail}, notify_sms = true WHERE id = 'MS-S007'`);
  });
  afterAll(async () => { await t?.close(); });
  afterEach(async () => {
    vi.restoreAllMocks();
    // each test starts with an empty outbox, every channel configured
    await t.database.rows(sql`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND failed_at IS NULL`);
    await configureChannels(t.database, ['email', 'sms']);
  });
  beforeAll(async () => configureChannels(t.database, ['email', 'sms']));

  const resolve = async (ticket: string) => {
    for (const [path, body] of [['claim', {}], ['status', { to: 'resolving' }], ['status', { to: 'resolved', outcome: '已疏通，管道畅通' }]] as const) {
      expect((await call(t, 'POST', `/api/staff/requests/${ticket}/${path}`, { cookie: leader, body })).status).toBe(200);
    }
  };

  it('e-mails and texts a staff member their notification, and texts the resident when their request is resolved', async () => {
    const hook = await webhookReceiver();
    const sink = await smtpSink();
    try {
      const senders = [webhookSender({ url: hook.url, secret }), smtpSender({ url: sink.url, from: 'gridmap@jiedao.example' })];
      const marker = `MARKER-${Math.random().toString(36).slice(2)}`;
      const { ticket } = await fileIn(t, 'MS-XSL-G01', { contact: '139-1111-2222', description: `楼道口污水 ${marker}` });
      expect(await deliverDue(t.database, senders)).toBe(2); // 赵和睦: one e-mail, one SMS; nobody else configured
      expect(sink.mails).toHaveLength(1);
      expect(sink.mails[0].to).toEqual([staffEmail]);
      expect(mailText(sink.mails[0].data)).toContain(`网格内有新诉求 ${ticket}`);
      expect(sink.mails[0].data + mailText(sink.mails[0].data)).not.toContain(marker); // the resident's words stay in the system
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0].body).toMatchObject({ kind: 'new_request', ticket, to: staffPhone });
      expect(hook.received[0].raw).not.toContain(marker);
      const signature = createHmac('sha256', secret).update(hook.received[0].raw).digest('hex');
      expect(hook.received[0].headers['x-gridmap-signature']).toBe(`sha256=${signature}`);
      expect(hook.received[0].headers['idempotency-key']).toBe(`gridmap-outbox-${hook.received[0].body.id}`);

      await resolve(ticket);
      await deliverDue(t.database, senders);
      const resident = hook.received.find((h) => h.body.kind === 'resolved')!;
      expect(resident.body).toMatchObject({ ticket, to: '139-1111-2222' });
      expect(resident.body.text).toContain(`（${ticket}）已办结：已疏通，管道畅通`);
    } finally {
      await hook.close();
      await sink.close();
    }
  });

  it('speaks a WeCom group robot’s message format when asked to', async () => {
    const hook = await webhookReceiver();
    try {
      const { ticket } = await fileIn(t, 'MS-XSL-G01');
      await deliverDue(t.database, [webhookSender({ url: hook.url, format: 'wecom' })]);
      expect(hook.received[0].body).toEqual({ msgtype: 'text', text: { content: expect.stringContaining(ticket), mentioned_mobile_list: [staffPhone] } });
    } finally {
      await hook.close();
    }
  });

  it('retries a refused message with exponential backoff and delivers it once', async () => {
    const hook = await webhookReceiver({ failFirst: 2 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const options = { firstRetryMs: 400, maxRetryMs: 60_000 };
      await fileIn(t, 'MS-XSL-G01');
      const senders = [webhookSender({ url: hook.url })];
      expect(await deliverDue(t.database, senders, options)).toBe(0);
      const [row] = await t.database.rows<{ attempts: number; last_error: string; wait: number }>(sql`
        SELECT attempts, last_error, extract(epoch FROM next_attempt_at - now()) * 1000 AS wait FROM outbox WHERE channel = 'sms' AND sent_at IS NULL`);
      expect(row).toMatchObject({ attempts: 1, last_error: 'webhook answered 503' });
      expect(Number(row.wait)).toBeGreaterThan(200);
      expect(Number(row.wait)).toBeLessThanOrEqual(400);
      expect(await deliverDue(t.database, senders, options)).toBe(0); // not due yet: nothing is tried
      expect(hook.received).toHaveLength(1);
      while (hook.accepted().length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        await deliverDue(t.database, senders, options);
      }
      const [first, second, third] = hook.received.map((h) => h.at);
      expect(second - first).toBeGreaterThanOrEqual(retryDelayMs(1, options) - 50); // 400 ms
      expect(third - second).toBeGreaterThanOrEqual(retryDelayMs(2, options) - 50); // 800 ms: doubled
      expect(new Set(hook.received.map((h) => h.body.id)).size).toBe(1);
      for (let i = 0; i < 3; i++) await deliverDue(t.database, senders, { firstRetryMs: 0 });
      expect(hook.accepted()).toHaveLength(1);
      // the log names the outbox row, never the phone number it was for
      expect(warn).toHaveBeenCalled();
      expect(JSON.stringify(warn.mock.calls)).not.toContain(staffPhone);
      expect(JSON.stringify(warn.mock.calls)).toMatch(/outbox \d+ \(sms\): attempt 1 failed: webhook answered 503/);
    } finally {
      await hook.close();
    }
  });

  it('sends nothing twice after a restart, and each message once when several senders run at once', async () => {
    const hook = await webhookReceiver();
    try {
      for (let i = 0; i < 4; i++) await fileIn(t, 'MS-XSL-G01');
      // three processes' loops at once (on PostgreSQL each on its own connection: FOR UPDATE SKIP LOCKED)
      const senders = () => [webhookSender({ url: hook.url })];
      await Promise.all([deliverDue(t.database, senders()), deliverDue(t.database, senders()), deliverDue(t.database, senders())]);
      const ids = hook.received.map((h) => h.body.id);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      // a restarted server: a new loop with new senders over the same table
      const stop = startOutbox(t.database, senders(), { everyMs: 50 });
      await new Promise((r) => setTimeout(r, 400));
      stop();
      expect(hook.received).toHaveLength(4);
      const [{ unsent }] = await t.database.rows<{ unsent: number }>(sql`SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL AND channel = 'sms'`);
      expect(unsent).toBe(0);
    } finally {
      await hook.close();
    }
  });

  it('leaves a message taken by a sender that died mid-send alone until its lease runs out', async () => {
    const hook = await webhookReceiver();
    try {
      await fileIn(t, 'MS-XSL-G01');
      // what a crash right after taking the row leaves behind: one attempt, leased for a minute
      await t.database.rows(sql`UPDATE outbox SET attempts = 1, next_attempt_at = now() + interval '1 minute' WHERE sent_at IS NULL AND channel = 'sms'`);
      expect(await deliverDue(t.database, [webhookSender({ url: hook.url })])).toBe(0);
      await t.database.rows(sql`UPDATE outbox SET next_attempt_at = now() WHERE sent_at IS NULL AND channel = 'sms'`); // the lease ran out
      expect(await deliverDue(t.database, [webhookSender({ url: hook.url })])).toBe(1);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('files at once while the receiver hangs, and while it is down', async () => {
    const hook = await webhookReceiver({ hang: true });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = startOutbox(t.database, [webhookSender({ url: hook.url, timeoutMs: 60_000 })], { everyMs: 20 });
    try {
      await fileIn(t, 'MS-XSL-G01');
      while (hook.received.length === 0) await new Promise((r) => setTimeout(r, 20));
      // the sender now waits on a receiver that never answers; a filing does not wait with it
      const filed = await fileIn(t, 'MS-XSL-G01', { description: '收件方挂起时报事' });
      expect(filed.ticket).toMatch(/^GM/);
      expect(hook.accepted()).toHaveLength(0);
    } finally {
      stop();
      await hook.close();
    }
    // nobody listening at all: the filing succeeds, the message waits for its retry
    const down = await webhookReceiver();
    await down.close();
    const filed = await fileIn(t, 'MS-XSL-G01');
    await deliverDue(t.database, [webhookSender({ url: down.url })]);
    const [row] = await t.database.rows<{ last_error: string; sent_at: string | null }>(sql`
      SELECT o.last_error, o.sent_at FROM outbox o JOIN requests r ON r.id = o.request_id WHERE r.ticket = ${filed.ticket} AND o.channel = 'sms'`);
    expect(row).toEqual({ last_error: 'webhook unreachable (TypeError)', sent_at: null });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(staffPhone);
  });

  it('queues nothing, and copies no contact, while no sender is configured', async () => {
    await configureChannels(t.database, []);
    const [{ before }] = await t.database.rows<{ before: number }>(sql`SELECT count(*)::int AS before FROM outbox`);
    const { ticket } = await fileIn(t, 'MS-XSL-G01', { contact: '139-3333-4444' });
    await resolve(ticket);
    const [{ after }] = await t.database.rows<{ after: number }>(sql`SELECT count(*)::int AS after FROM outbox`);
    expect(after).toBe(before);
  });
});
