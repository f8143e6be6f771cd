import { sql, type SQL } from 'drizzle-orm';
import type { ClientRateLimitInfo, Store } from 'hono-rate-limiter';
import type { Database } from '../db/client.ts';

/**
 * The counts of a rate limit kept in PostgreSQL (`rate_counts`), so that several API processes
 * behind a load balancer count a client once between them, not once each (docs/scaling.md).
 * Counts as hono-rate-limiter's MemoryStore does: a fixed window per key from its first hit.
 * Each counted request costs one upsert on the primary.
 */
export class SharedCounts implements Store {
  #windowMs = 60_000;
  #sinceSweep = 0;

  constructor(private readonly database: Database) {}

  init(options: { windowMs: number }) {
    this.#windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await this.database.rows<{ hits: number; resetAt: string }>(sql`
      SELECT hits, to_json(reset_at) #>> '{}' AS "resetAt" FROM rate_counts WHERE key = ${key} AND reset_at > now()`);
    return row && { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    await this.countedElsewhere();
    const [row] = await this.database.rows<{ hits: number; resetAt: string }>(countSql(key, this.#windowMs));
    return { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  /**
   * A hit counted by a statement of its own (the filing's, ./filing-count.ts), or by increment:
   * expired counts are swept every 1,000 hits, not on each, so the table stays about as small as
   * one window's clients.
   */
  async countedElsewhere(): Promise<void> {
    if (++this.#sinceSweep < 1000) return;
    this.#sinceSweep = 0;
    await this.database.rows(sql`DELETE FROM rate_counts WHERE reset_at < now() RETURNING key`);
  }

  async decrement(key: string): Promise<void> {
    await this.database.rows(sql`UPDATE rate_counts SET hits = hits - 1 WHERE key = ${key} AND hits > 0 RETURNING key`);
  }

  async resetKey(key: string): Promise<void> {
    await this.database.rows(sql`DELETE FROM rate_counts WHERE key = ${key} RETURNING key`);
  }
}

/**
 * One hit counted for `key`, answering `hits` and `"resetAt"`: a statement of its own here, and
 * a step of the filing's one statement (./filing-count.ts).
 */
export function countSql(key: string, windowMs: number): SQL {
  const window = sql`now() + make_interval(secs => ${windowMs / 1000})`;
  return sql`
    INSERT INTO rate_counts AS r (key, hits, reset_at) VALUES (${key}, 1, ${window})
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.hits + 1 END,
      reset_at = CASE WHEN r.reset_at <= now() THEN ${window} ELSE r.reset_at END
    RETURNING hits, to_json(reset_at) #>> '{}' AS "resetAt"`;
}
