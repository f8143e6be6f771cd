import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { ApiError } from '../errors.ts';
import type { ErrorCode } from '../contract/errors.ts';
import { clientAddress } from './client.ts';
import type { Limits } from './limits.ts';
import type { Database } from '../db/client.ts';
import { SharedCounts } from './shared-counts.ts';

type Counted = 'filings' | 'meToo' | 'photos' | 'open311' | 'signIns' | 'wishClaims';

/** A limit whose refusal the pages word on their own (the wish board says it of claims); the rest answer `rate_limited`. */
const refusalCodes: Partial<Record<Counted, ErrorCode>> = { wishClaims: 'wish_claims_limited' };

/** What a refused client is told: `rate_limited` (or the limit's own code), how long to wait (also in Retry-After) and the limit it met. */
export function rateLimited(retryAfter: number, limit: number, windowMinutes: number, code: ErrorCode = 'rate_limited') {
  return new ApiError(code, `too many requests from this address: at most ${limit} in ${windowMinutes} minutes; try again in ${retryAfter} s`,
    { retryAfter, limit, windowMinutes });
}

/**
 * A limit per client address on one kind of request. On PostgreSQL, where several API processes
 * may serve one installation, the counts are kept in the database (./shared-counts.ts) so a
 * client is counted once between them; on embedded PGlite (one process) in this process's memory
 * (hono-rate-limiter's MemoryStore). The refusal is thrown, so it is answered like every other
 * error: `{ error, code, retryAfter }` with a Retry-After header, and in Open311's own format
 * under /open311.
 */
export function limitOf(kind: Counted, limits: Limits, database?: Database): MiddlewareHandler {
  const windowMs = limits.windowMinutes * 60_000;
  return rateLimiter({
    windowMs,
    store: database?.kind === 'postgres' ? new SharedCounts(database) : undefined,
    limit: limits[kind],
    standardHeaders: 'draft-6',
    keyGenerator: (c: Context) => `${kind}:${clientAddress(c, limits.trustProxy)}`,
    handler: (c: Context) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
      const retryAfter = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      throw rateLimited(retryAfter, limits[kind], limits.windowMinutes, refusalCodes[kind]);
    },
  });
}
