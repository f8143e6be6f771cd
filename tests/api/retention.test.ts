import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn } from '../helpers/staff.ts';
import { eraseExpiredContacts, retentionDays } from '../../api/loop/retention.ts';

// 个人信息保护 (issue 9 §1): the reporter's phone goes after the retention period, or when they
// ask; each erasure is an audit event that does not repeat the number.

const phone = '13912345678';

describe('the retention setting', () => {
  it('is 180 days unless CONTACT_RETENTION_DAYS says otherwise, and refuses a bad value by name', () => {
    expect(retentionDays({})).toBe(180);
    expect(retentionDays({ CONTACT_RETENTION_DAYS: '30' })).toBe(30);
    expect(() => retentionDays({ CONTACT_RETENTION_DAYS: 'half a year' })).toThrow(/CONTACT_RETENTION_DAYS/);
  });
});

describe.each(modes())('erasing reporters\u2019 contacts (%s)', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
  });
  afterAll(() => t?.close());

  /** A filed request with a phone, archived `daysAgo` days ago (its archiving event says when). */
  async function archived(daysAgo: number) {
    const filed = await fileIn(t, 'MS-XSL-G01', { contact: phone });
    await t.database.rows(sql`
      WITH up AS (UPDATE requests SET status = 'archived' WHERE ticket = ${filed.ticket} RETURNING id)
      INSERT INTO request_events (request_id, at, actor, action, from_status, to_status)
      SELECT id, now() - make_interval(days => ${daysAgo}), 'system', 'status', 'revisited', 'archived' FROM up RETURNING id`);
    return filed.ticket as string;
  }
  const contactOf = async (ticket: string) =>
    (await t.database.rows<{ contact: string | null }>(sql`SELECT contact FROM requests WHERE ticket = ${ticket}`))[0].contact;
  const erasures = (ticket: string) => t.database.rows<{ actor: string; note: string }>(sql`
    SELECT e.actor, e.note FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.ticket = ${ticket} AND e.action = 'contact_erased'`);

  it('erases the contact of requests archived longer ago than the period, with an audit event, and keeps the rest', async () => {
    const old = await archived(200);
    const recent = await archived(10);
    const open = (await fileIn(t, 'MS-XSL-G01', { contact: phone })).ticket as string;
    await t.database.rows(sql`UPDATE requests SET created_at = now() - interval '400 days', updated_at = now() - interval '400 days' WHERE ticket = ${open} RETURNING id`);

    const erased = await eraseExpiredContacts(t.database, 180);
    expect(erased).toContain(old);
    expect(erased).not.toContain(recent);
    expect(erased).not.toContain(open);
    expect(await contactOf(old)).toBeNull();
    expect(await contactOf(recent)).toBe(phone);
    expect(await contactOf(open)).toBe(phone);
    const events = await erasures(old);
    expect(events).toEqual([{ actor: 'system', note: expect.stringMatching(/180/) }]);
    expect(JSON.stringify(events)).not.toContain(phone);
    // the next minute finds nothing more to do
    expect(await eraseExpiredContacts(t.database, 180)).not.toContain(old);
    expect(await erasures(old)).toHaveLength(1);
  });

  it('lets the reporter erase their contact with the report token, once, audited; the ticket page then says it is gone', async () => {
    const filed = await fileIn(t, 'MS-XSL-G01', { contact: phone });
    const path = `/api/requests/${filed.ticket}`;
    expect((await (await t.get(`${path}?token=${filed.reportToken}`)).json()).hasContact).toBe(true);

    const stranger = await call(t, 'DELETE', `${path}/contact?token=not-the-token`);
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).code).toBe('not_reporter');
    expect(await contactOf(filed.ticket)).toBe(phone);

    const res = await call(t, 'DELETE', `${path}/contact?token=${filed.reportToken}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ticket: filed.ticket, erased: true });
    expect(await contactOf(filed.ticket)).toBeNull();
    expect(await erasures(filed.ticket)).toEqual([{ actor: 'resident', note: expect.any(String) }]);
    expect((await (await t.get(`${path}?token=${filed.reportToken}`)).json()).hasContact).toBe(false);

    const again = await call(t, 'DELETE', `${path}/contact?token=${filed.reportToken}`);
    expect(await again.json()).toEqual({ ticket: filed.ticket, erased: false });
    expect(await erasures(filed.ticket)).toHaveLength(1);
  });

  it('does not tell a stranger without the token whether a contact is kept', async () => {
    const filed = await fileIn(t, 'MS-XSL-G01', { contact: phone });
    const body = await (await t.get(`/api/requests/${filed.ticket}`)).json();
    expect(body).not.toHaveProperty('hasContact');
  });
});
