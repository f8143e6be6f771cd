import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { currentUser } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { frameOf } from '../live/frames.ts';
import { SseBody } from '../live/sse-body.ts';
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
    const body = new SseBody(queueLimit);
    void follow(body, lastEventId);
    return body.response(c);

    /** The stream's life: subscribed, what it missed replayed, then each event as the hub hands it over, and heartbeats. */
    async function follow(stream: SseBody, since: number | null) {
      // subscribe before replaying: what is announced meanwhile waits, and goes after the replay
      let waiting: EventRow[] | null = [];
      const replayed = new Set<number>();
      let quiet = true; // nothing sent since the last heartbeat's tick
      const send = (row: EventRow) => {
        if (replayed.has(row.id)) return;
        stream.write(frameOf(row, viewer.render)); // the same bytes for every stream of this viewer's kind
        quiet = false;
      };
      try {
        const unsubscribe = await hub.subscribe({ accepts: viewer.accepts, push: (row) => (waiting ? waiting.push(row) : send(row)), close: () => stream.close() });
        stream.onClose(unsubscribe);
        stream.write(`retry: 2000\n: connected as ${viewer.kind}\n\n`);
        if (since !== null) {
          const missed = await loadEvents(database, sql`${missedSince(database, since)} AND ${viewer.where}`, { limit: replayLimit + 1 });
          if (missed.length > replayLimit) {
            // too far behind to replay one by one: the screen reloads its snapshot and goes on live
            const newest = await loadEvents(database, viewer.where, { limit: 1, newest: true });
            stream.write(`event: reset\ndata: ${JSON.stringify({ missedMoreThan: replayLimit })}\nid: ${newest[0]?.id ?? since}\n\n`);
          } else {
            for (const row of missed) {
              stream.write(frameOf(row, viewer.render));
              replayed.add(row.id);
            }
          }
        }
        for (const row of waiting) send(row);
        waiting = null;
        const beat = setInterval(async () => {
          if (!quiet) {
            quiet = true;
            return;
          }
          replayed.clear(); // a quiet period: every notification of a replayed event has come by now
          // a signed-out or expired session ends a staff stream at the next heartbeat
          if (viewer.kind === 'staff' && !(await currentUser(c, database).catch(() => null))) return stream.close();
          stream.write(': heartbeat\n\n');
        }, heartbeatMs);
        stream.onClose(() => clearInterval(beat));
      } catch (error) {
        // the browser reconnects after the end, and replays from its Last-Event-ID
        console.error('live: a stream could not start (the hub, or its replay); ended', error);
        stream.close();
      }
    }
  });
}

function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new ApiError('invalid_value', `Last-Event-ID must be the id of an event this stream sent (a whole number), got ${JSON.stringify(value.slice(0, 40))}`, { field: 'lastEventId' });
  }
  return Number(value);
}
