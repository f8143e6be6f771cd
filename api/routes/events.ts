import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { sql } from 'drizzle-orm';
import { currentUser } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { ClientQueue } from '../live/client-queue.ts';
import { frameOf } from '../live/frames.ts';
import { loadEvents, missedSince, type EventRow } from '../live/event-rows.ts';
import { LiveHub } from '../live/hub.ts';
import { viewerOf } from '../live/viewer.ts';

export interface EventOptions {
  heartbeatMs?: number; // ms between comment lines that keep proxies from closing an idle stream
  queueLimit?: number; // events waiting for one client before its stream is closed (it reconnects and replays)
  replayLimit?: number; // events replayed at most; more missed → an `event: reset` (reload the snapshot)
}

/**
 * GET /api/events — Server-Sent Events of request changes (docs/api.md, "Live and the wall screen"). `id:` is the
 * audit event id, so the browser's EventSource resumes after a reconnect with Last-Event-ID and
 * the stream first replays what it missed from `request_events`, then goes live.
 */
export function eventRoutes(database: Database, { heartbeatMs = 15_000, queueLimit = 1000, replayLimit = 1000 }: EventOptions = {}) {
  const hub = LiveHub.of(database);
  return new Hono().get('/', async (c) => {
    const lastEventId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const viewer = await viewerOf(c, database);

    return streamSSE(c, async (stream) => {
      const queue = new ClientQueue<EventRow>(queueLimit, () => stream.abort());
      stream.onAbort(() => queue.close());
      // subscribe before replaying: what happens during the replay waits in the queue
      const unsubscribe = await hub.subscribe({ accepts: viewer.accepts, push: (row) => queue.push(row), close: () => queue.close() });
      try {
        await stream.write(`retry: 2000\n: connected as ${viewer.kind}\n\n`);
        const replayed = new Set<number>();
        if (lastEventId !== null) {
          const missed = await loadEvents(database, sql`${missedSince(database, lastEventId)} AND ${viewer.where}`, { limit: replayLimit + 1 });
          if (missed.length > replayLimit) {
            // too far behind to replay one by one: the screen reloads its snapshot and goes on live
            const newest = await loadEvents(database, viewer.where, { limit: 1, newest: true });
            await stream.writeSSE({ event: 'reset', id: String(newest[0]?.id ?? lastEventId), data: JSON.stringify({ missedMoreThan: replayLimit }) });
          } else {
            for (const row of missed) {
              replayed.add(row.id);
              await stream.write(frameOf(row, viewer.render));
            }
          }
        }
        while (!stream.aborted && !queue.closed && !queue.overflowed) {
          const rows = await queue.take(heartbeatMs);
          if (rows.length === 0) {
            if (stream.aborted || queue.closed) break;
            replayed.clear(); // a quiet period: every notification of a replayed event has come by now
            // a signed-out or expired session ends a staff stream at the next heartbeat
            if (viewer.kind === 'staff' && !(await currentUser(c, database))) break;
            await stream.write(': heartbeat\n\n');
            continue;
          }
          for (const row of rows) {
            if (replayed.has(row.id)) continue;
            await stream.write(frameOf(row, viewer.render)); // the same bytes for every stream of this viewer's kind
          }
        }
      } finally {
        unsubscribe();
        queue.close();
      }
    });
  });
}

function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new ApiError('invalid_value', `Last-Event-ID must be the id of an event this stream sent (a whole number), got ${JSON.stringify(value.slice(0, 40))}`, { field: 'lastEventId' });
  }
  return Number(value);
}
