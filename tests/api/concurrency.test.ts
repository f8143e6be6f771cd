import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { deadlinesOf } from '../../api/contract/vocabulary.ts';
import { escalateOverdue } from '../../api/loop/escalation.ts';
import { escalate } from '../../api/loop/moves.ts';
import { addReporterPhoto } from '../../api/loop/photos.ts';
import { findRequest } from '../../api/loop/request-row.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { modes } from '../helpers/databases.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { SseReader } from '../helpers/sse.ts';

// Writes that belong together stay together, and a read that went stale cannot undo a newer write.
describe.each(modes())('writes that race on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const levelOf = async (ticket: string) =>
    (await t.database.rows<{ level: number }>(sql`SELECT escalation_level AS level FROM requests WHERE ticket = ${ticket}`))[0].level;
  /** makes the audit trail refuse events of one action, as a failing write would, for one call */
  const refusingEvents = async <T>(action: string, run: () => Promise<T>) => {
    await t.database.rows(sql.raw(`CREATE OR REPLACE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit trail refused'; END IF; RETURN NEW; END $$`));
    await t.database.rows(sql`CREATE TRIGGER refuse_event BEFORE INSERT ON request_events FOR EACH ROW EXECUTE FUNCTION refuse_event()`);
    try {
      return await run();
    } finally {
      await t.database.rows(sql`DROP TRIGGER refuse_event ON request_events`);
    }
  };

  it('escalates by hand one level above where the minute job has just put it, not above a stale read', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const stale = (await findRequest(t.database, ticket))!;
    expect(stale.escalationLevel).toBe(0);
    // the minute job runs in between: one and a half claim windows late → level 2
    const minutes = deadlinesOf(stale.category).claimMinutes;
    await t.database.rows(sql`UPDATE requests SET claim_deadline = now() - make_interval(mins => ${Math.round(minutes * 1.5)}) WHERE ticket = ${ticket}`);
    await escalateOverdue(t.database);
    expect(await levelOf(ticket)).toBe(2);
    expect(await escalate(t.database, stale, 'xsl-g01-zhao', '人手上报')).toBe(3);
    expect(await levelOf(ticket)).toBe(3);
  });

  it('stores a photo only together with its audit event', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const row = (await findRequest(t.database, ticket))!;
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } }).png().toBuffer();
    await expect(refusingEvents('photo', () => addReporterPhoto(t.database, row, png))).rejects.toThrow();
    const [{ n }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM request_photos WHERE request_id = ${row.id}`);
    expect(n).toBe(0);
    const photo = await addReporterPhoto(t.database, row, png);
    const notes = await t.database.rows<{ note: string }>(sql`SELECT note FROM request_events WHERE request_id = ${row.id} AND action = 'photo'`);
    expect(notes.map((e) => e.note)).toEqual([`居民照片 #${photo.id}`]);
  });

  it('marks a duplicate only together with the original\'s me-too and its audit event', async () => {
    const [first, second] = [await fileIn(t, 'MS-XSL-G01'), await fileIn(t, 'MS-XSL-G01')];
    const cookie = await signIn(t, 'xsl-g01-zhao');
    const mark = () => call(t, 'POST', `/api/staff/requests/${second.ticket}/status`, { cookie, body: { to: 'duplicate', duplicateOf: first.ticket } });
    const refused = await refusingEvents('me_too', mark);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    const state = async () => (await t.database.rows<{ ticket: string; status: string; me_too: number }>(sql`
      SELECT ticket, status, me_too FROM requests WHERE ticket IN (${first.ticket}, ${second.ticket}) ORDER BY ticket`)).map((r) => `${r.status}/${r.me_too}`);
    expect(await state()).toEqual(['collected/0', 'collected/0']);
    expect((await mark()).status).toBe(200);
    expect(await state()).toEqual(['collected/1', 'duplicate/0']);
  });
});

describe.runIf(modes().includes('postgres'))('the live stream when transactions commit out of id order', () => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp('postgres'); });
  afterAll(async () => { await t?.close(); });

  it('does not skip an event that commits after a higher-numbered one, live or on replay', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const [{ id: requestId, name }] = await t.database.rows<{ id: number; name: string }>(sql`
      SELECT id, current_database() AS name FROM requests WHERE ticket = ${ticket}`);
    const [{ before }] = await t.database.rows<{ before: number }>(sql`SELECT max(id)::int AS before FROM request_events`);
    // a second connection opens a transaction that writes event N and stays open …
    const templateUrl = (await import('vitest')).inject('postgresTemplateUrl')!;
    const slow = await openDatabase({ url: templateUrl.replace(/\/gridmap_template$/, `/${name}`), migrate: false });
    let committed = false;
    let finish!: () => void;
    const held = new Promise<void>((resolve) => { finish = resolve; });
    const open = slow.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO request_events (request_id, actor, action, note) VALUES (${requestId}, 'system', 'note', 'slow writer')`);
      await held;
    }).then(() => { committed = true; });
    try {
      await expect.poll(async () => (await t.database.rows<{ n: string }>(sql`SELECT last_value::text AS n FROM request_events_id_seq`))[0].n).not.toBe(String(before));
      // … while N+1 commits: a filing
      const later = await fileIn(t, 'MS-XSL-G01');
      const first = new SseReader((await t.app.request('http://localhost/api/events', { headers: { 'last-event-id': String(before) } })).body!);
      const seen = await first.collect(1500);
      await first.close();
      finish();
      await open;
      expect(committed).toBe(true);
      // the client reconnects from the last id it received, as EventSource does
      const last = seen.at(-1)?.eventId ?? String(before);
      const second = new SseReader((await t.app.request('http://localhost/api/events', { headers: { 'last-event-id': last } })).body!);
      const replayed = await second.collect(1500);
      await second.close();
      const all = [...seen, ...replayed];
      expect(all.map((e) => e.ticket)).toContain(later.ticket);
      expect(all.filter((e) => e.ticket === ticket && e.action === 'note').length).toBeGreaterThanOrEqual(1);
    } finally {
      finish();
      await open.catch(() => {});
      await slow.close();
    }
  });
});
