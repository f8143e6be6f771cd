import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { OutboxChannel } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';
import { messageText, type MessageFacts } from './messages.ts';
import { SendFailed, type Sender } from './senders.ts';

// The outbox (docs/notifications.md): rows are written by triggers in the transaction of their
// cause (migration 0008), so a message is queued exactly when its cause commits and a filing
// never waits for a mail server. This loop delivers them: at least once, retried with
// exponential backoff, and never again once the receiver accepted it (`sent_at`).

export interface OutboxOptions {
  everyMs?: number; // ms between looks at the outbox
  batch?: number; // rows taken per look
  leaseMs?: number; // a taken row is left to its sender this long before another may take it (a crash mid-send)
  firstRetryMs?: number; // the wait after the first failure, doubled after each further one
  maxRetryMs?: number; // the longest wait between two attempts
  maxAttempts?: number; // then the row is given up (`failed_at`)
}

const defaults: Required<OutboxOptions> = {
  everyMs: 2000, batch: 20, leaseMs: 60_000, firstRetryMs: 10_000, maxRetryMs: 3_600_000, maxAttempts: 10,
};

/** The wait before attempt `attempts + 1`: first, 2×first, 4×first, … up to the cap. */
export const retryDelayMs = (attempts: number, o: Pick<Required<OutboxOptions>, 'firstRetryMs' | 'maxRetryMs'>) =>
  Math.min(o.maxRetryMs, o.firstRetryMs * 2 ** Math.max(0, attempts - 1));

/**
 * Tells the triggers which channels this installation sends on (meta 'outbox_channels'): rows are
 * queued only for those, so an installation without senders keeps no contacts queued.
 */
export async function configureChannels(database: Database, channels: OutboxChannel[]) {
  if (channels.length === 0) await database.rows(sql`DELETE FROM meta WHERE key = 'outbox_channels'`);
  else {
    await database.rows(sql`INSERT INTO meta (key, value) VALUES ('outbox_channels', ${JSON.stringify(channels)}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  }
}

type Taken = MessageFacts & { id: number; channel: OutboxChannel; attempts: number; to: string | null };

/**
 * Takes due rows for these channels and leases them (`next_attempt_at` moves `leaseMs` ahead).
 * `FOR UPDATE SKIP LOCKED`: several API processes on one PostgreSQL each take different rows;
 * on PGlite (one process, one connection) it is simply a select.
 */
async function take(database: Database, channels: OutboxChannel[], o: Required<OutboxOptions>): Promise<Taken[]> {
  const rows = await database.rows<Taken & { attempts: number }>(sql`
    WITH due AS (
      SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() AND channel IN ${sqlList(channels)}
      ORDER BY id LIMIT ${o.batch} FOR UPDATE SKIP LOCKED
    ),
    taken AS (
      UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${o.leaseMs / 1000})
      FROM due WHERE o.id = due.id
      RETURNING o.id, o.channel, o.kind, o.request_id, o.staff_id, o.notification_id, o.attempts
    )
    SELECT t.id, t.channel, t.kind, t.attempts, r.ticket, r.category, g.name AS "gridName", r.outcome, n.level,
      CASE WHEN t.staff_id IS NULL THEN r.contact WHEN t.channel = 'email' THEN s.email ELSE s.phone END AS "to"
    FROM taken t JOIN requests r ON r.id = t.request_id LEFT JOIN areas g ON g.id = r.grid_id
    LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN notifications n ON n.id = t.notification_id
    ORDER BY t.id`);
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), level: r.level === null ? null : Number(r.level) }));
}

/** One look at the outbox: sends what is due, marks it sent or schedules its retry. Answers how many were sent. */
export async function deliverDue(database: Database, senders: Sender[], options: OutboxOptions = {}): Promise<number> {
  const o = { ...defaults, ...options };
  const byChannel = new Map(senders.map((s) => [s.channel, s]));
  if (byChannel.size === 0) return 0;
  let sent = 0;
  for (const row of await take(database, [...byChannel.keys()], o)) {
    try {
      // the recipient left (contact erased, address removed) after the row was queued
      if (!row.to) throw new SendFailed('no recipient any more');
      const { subject, text } = messageText(row);
      await byChannel.get(row.channel)!.send({ id: row.id, kind: row.kind, ticket: row.ticket, to: row.to, subject, text });
      await database.rows(sql`UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = ${row.id}`);
      sent++;
    } catch (error) {
      // the outbox id and the sender's own words, never the recipient
      const reason = error instanceof SendFailed ? error.message : 'sender error';
      const giveUp = row.attempts >= o.maxAttempts || !row.to;
      const wait = retryDelayMs(row.attempts, o);
      await database.rows(giveUp
        ? sql`UPDATE outbox SET failed_at = now(), last_error = ${reason} WHERE id = ${row.id}`
        : sql`UPDATE outbox SET next_attempt_at = now() + make_interval(secs => ${wait / 1000}), last_error = ${reason} WHERE id = ${row.id}`);
      console.warn(`outbox ${row.id} (${row.channel}): attempt ${row.attempts} failed: ${reason}; ${giveUp ? 'given up' : `retry in ${Math.round(wait / 1000)} s`}`);
    }
  }
  return sent;
}

/** Delivers the outbox every `everyMs` in the background; returns the function that stops it. */
export function startOutbox(database: Database, senders: Sender[], options: OutboxOptions = {}): () => void {
  const o = { ...defaults, ...options };
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      // a full batch: more are waiting, look again at once
      while ((await deliverDue(database, senders, o)) >= o.batch);
    } catch (error) {
      console.error('outbox: delivery round failed; the next round retries', error);
    } finally {
      running = false;
    }
  }, o.everyMs);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    for (const sender of senders) sender.close?.();
  };
}
