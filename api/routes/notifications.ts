import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { currentUser } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import type { StaffNotification } from '../contract/wire.ts';
import { MarkRead } from '../contract/wire.ts';
import { unauthorized } from '../errors.ts';
import { ClientQueue } from '../live/client-queue.ts';
import { NotificationHub } from '../notify/hub.ts';
import { markRead, notificationsOf } from '../notify/notifications.ts';
import { json } from '../validate.ts';

/**
 * A staff member's own notifications (docs/notifications.md): the list with the unread count,
 * marking read, and a stream of their own (never the public or kiosk stream) that pushes each
 * new one to their open pages.
 */
export function notificationRoutes(database: Database, { heartbeatMs = 15_000 } = {}) {
  const hub = NotificationHub.of(database);
  const user = async (c: Parameters<typeof currentUser>[0]) => {
    const found = await currentUser(c, database);
    if (!found) throw unauthorized();
    return found;
  };
  return new Hono()
    .get('/', async (c) => c.json(await notificationsOf(database, await user(c))))
    .post('/read', json(MarkRead), async (c) => c.json({ unread: await markRead(database, await user(c), c.req.valid('json')) }))
    .get('/stream', async (c) => {
      const me = await user(c);
      return streamSSE(c, async (stream) => {
        const queue = new ClientQueue<StaffNotification>(200, () => stream.abort());
        stream.onAbort(() => queue.close());
        const unsubscribe = await hub.subscribe({ staffId: me.staffId, push: (n) => queue.push(n) });
        try {
          await stream.write('retry: 2000\n: connected\n\n');
          while (!stream.aborted && !queue.closed && !queue.overflowed) {
            const items = await queue.take(heartbeatMs);
            if (items.length === 0) {
              if (stream.aborted || queue.closed) break;
              if (!(await currentUser(c, database))) break; // signed out: the stream ends
              await stream.write(': heartbeat\n\n');
              continue;
            }
            for (const n of items) await stream.writeSSE({ event: 'notification', id: String(n.id), data: JSON.stringify(n) });
          }
        } finally {
          unsubscribe();
          queue.close();
        }
      });
    });
}
