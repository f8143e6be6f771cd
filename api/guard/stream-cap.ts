import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import { clientAddress } from './client.ts';
import type { Limits } from './limits.ts';

/**
 * At most `limits.streams` live streams open at once from one client address: a stream holds a
 * subscription and a queue for as long as it lasts, so a loop of EventSources could otherwise
 * hold the server's memory. A stream counts until its response body ends (the client went).
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
      const body = c.res.body;
      if (c.res.ok && body) {
        // the stream outlives this middleware: count it until its body is done or cancelled
        handedOver = true;
        c.res = new Response(countUntilEnd(body, () => release(client)), c.res);
      }
    } finally {
      if (!handedOver) release(client);
    }
  };
}

/** The same body, calling `end` once when it finishes, fails or its reader cancels it. */
function countUntilEnd(body: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  let ended = false;
  const once = () => { if (!ended) { ended = true; end(); } };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) { once(); controller.close(); return; }
        controller.enqueue(value);
      } catch (error) {
        once();
        controller.error(error);
      }
    },
    async cancel(reason) {
      once();
      await reader.cancel(reason);
    },
  });
}
