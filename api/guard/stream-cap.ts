import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import { clientAddress } from './client.ts';
import type { Limits } from './limits.ts';
import { SseBody } from '../live/sse-body.ts';

/**
 * At most `limits.streams` live streams open at once from one client address: a stream holds a
 * subscription and a queue for as long as it lasts, so a loop of EventSources could otherwise
 * hold the server's memory. A stream (an SseBody, api/live/sse-body.ts) counts until it ends; any
 * other answer, with its sending.
 */
export function streamCap(limits: Limits): MiddlewareHandler {
  const open = new Map<string, number>();
  const release = (client: string) => {
    const n = (open.get(client) ?? 1) - 1;
    if (n <= 0) open.delete(client);
    else open.set(client, n);
  };
  return async (c, next) => {
    const client = clientAddress(c, limits.trustProxy);
    const n = open.get(client) ?? 0;
    if (n >= limits.streams) {
      throw new ApiError('too_many_streams', `at most ${limits.streams} live streams per client; close one (another tab or screen) and connect again`,
        { maximum: limits.streams, retryAfter: 10 });
    }
    open.set(client, n + 1);
    let handedOver = false;
    try {
      await next();
      const stream = c.res.ok ? SseBody.behind(c.res.body) : undefined;
      if (stream) {
        // the stream outlives this middleware: it counts until it ends (the client went, or was let go)
        handedOver = true;
        stream.onClose(() => release(client));
      }
    } finally {
      if (!handedOver) release(client);
    }
  };
}
