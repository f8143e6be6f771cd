import { hc, type ClientResponse, type InferResponseType } from 'hono/client';
import type { AppType } from '../../../../api/app.ts';
import type { ErrorCode } from '../../../../api/contract/errors.ts';
import type { ErrorBody } from '../../../../api/contract/wire.ts';

// The one way the web app talks to the API: Hono's typed client over the API's own route types
// (api/app.ts: AppType), so a renamed field or route fails `npm run lint`, not a user. Every call
// goes through `read`, which answers the JSON of a 2xx and throws an ApiError with the API's
// stable `code` otherwise (web/src/lib/api/errors.ts words it in the reader's language). The live
// stream (EventSource) is the one other door: ./live.svelte.ts.

/** A failed call: the API's code and body, `network` when no answer came, `unexpected` for a body that is not ours. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network' | 'unexpected',
    readonly status: number,
    readonly body: ErrorBody | null = null,
    options?: { cause?: unknown },
  ) {
    super(body?.error ?? code, options);
  }

  /** The error's details: the field to fix and the facts the message can name. */
  get details(): Record<string, unknown> {
    return this.body ?? {};
  }
}

const client = hc<AppType>(typeof location === 'undefined' ? 'http://localhost' : location.origin, {
  init: { credentials: 'same-origin' },
});

/** The API under /api, typed route by route: `api.requests[':ticket'].$get({ param: { ticket } })`. */
export const api = client.api;

/** Options for a call: the signal that drops it when its answer is no longer wanted. */
export const signalled = (signal?: AbortSignal) => ({ init: { signal, credentials: 'same-origin' as const } });

/** Awaits a call of the typed client: its JSON on 2xx (undefined for 204), else an ApiError. */
export async function read<T>(call: Promise<ClientResponse<T>>): Promise<T> {
  let response: ClientResponse<T>;
  try {
    response = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, null, { cause: error });
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  const code = body && typeof body.code === 'string' ? (body.code as ErrorCode) : 'unexpected';
  throw new ApiError(code, response.status, body);
}

/** The answer type of a typed call, e.g. `Answer<typeof api.locate.$get>`. */
export type Answer<T> = InferResponseType<T, 200>;

/** Absolute URL of our TileJSON (MapLibre resolves tile URLs against it). */
let tileJsonAsked: Promise<TileJson> | null = null;

/**
 * The TileJSON; while the API is still starting (503) it waits and asks again. The callers of one
 * moment (a page's header and its map open together) share one request; the next caller asks anew,
 * so a page opened after an import sees the new bounds. `signal` stops waiting, not the request.
 */
export function fetchTileJson(signal?: AbortSignal): Promise<TileJson> {
  tileJsonAsked ??= (async () => {
    for (;;) {
      try {
        return await read(api['tiles.json'].$get());
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'starting')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })().finally(() => (tileJsonAsked = null));
  if (!signal) return tileJsonAsked;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  return Promise.race([tileJsonAsked, aborted]);
}
export type TileJson = Answer<(typeof api)['tiles.json']['$get']>;
