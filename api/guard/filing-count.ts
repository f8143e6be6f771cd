import type { Context, MiddlewareHandler } from 'hono';
import type { Database } from '../db/client.ts';
import { clientAddress } from './client.ts';
import type { Limits } from './limits.ts';
import { limitOf, rateLimited } from './rate-limit.ts';
import { SharedCounts } from './shared-counts.ts';

/**
 * A filing's hit on its client's count, taken in the filing's own statement (api/loop/file.ts):
 * on PostgreSQL the count is a row of `rate_counts`, and an upsert of its own before the filing
 * was one more round trip on the way to the answer (≈ 1 ms at p50 on a busy county,
 * docs/scaling.md). The statement counts, and files only within the limit.
 */
export interface FilingCount {
  key: string;
  limit: number;
  windowMs: number;
  /** the count the statement found: past the limit, throws the 429 (nothing was filed) */
  settle(hits: number, resetAt: string): void;
}

const pending = new WeakMap<Request, FilingCount>();

/** The count this filing's statement is to take; none on PGlite, where the count was taken in memory before. */
export const filingCountOf = (c: Context): FilingCount | undefined => pending.get(c.req.raw);

/**
 * The limit on filings (POST /api/requests): every filing counts, refused ones too, as with
 * every other limit (./rate-limit.ts). On PostgreSQL a filing that reaches its statement is
 * counted by it; one refused before (a 400, a missing building) is counted here afterwards, and
 * past the limit answered with the 429 instead. The count's row is locked until the filing
 * commits: two filings from one address at once wait for each other's statement (≈ 2 ms). On
 * PGlite the counts stay in memory, taken first.
 */
export function filingLimit(limits: Limits, database: Database): MiddlewareHandler {
  if (database.kind !== 'postgres') return limitOf('filings', limits, database);
  const windowMs = limits.windowMinutes * 60_000;
  const counts = new SharedCounts(database);
  counts.init({ windowMs });
  return async (c, next) => {
    const key = `filings:${clientAddress(c, limits.trustProxy)}`; // the key limitOf gives it: one count either way
    let settled = false;
    const settle = (hits: number, resetAt: Date) => {
      settled = true;
      const resetSeconds = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
      // the headers hono-rate-limiter sends (draft-6), as on every other limited route
      c.header('RateLimit-Policy', `${limits.filings};w=${Math.ceil(windowMs / 1000)}`);
      c.header('RateLimit-Limit', String(limits.filings));
      c.header('RateLimit-Remaining', String(Math.max(0, limits.filings - hits)));
      c.header('RateLimit-Reset', String(resetSeconds));
      if (hits > limits.filings) throw rateLimited(resetSeconds, limits.filings, limits.windowMinutes);
    };
    pending.set(c.req.raw, { key, limit: limits.filings, windowMs, settle: (hits, resetAt) => settle(hits, new Date(resetAt)) });
    await next();
    if (settled) {
      // the sweep of expired counts, off the way to the answer
      counts.countedElsewhere().catch((error) => console.error('rate counts: could not sweep the expired ones; the next 1,000 filings retry', error));
    } else {
      const { totalHits, resetTime } = await counts.increment(key);
      settle(totalHits, resetTime ?? new Date(Date.now() + windowMs));
    }
  };
}
