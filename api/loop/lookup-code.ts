import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { lookupCode, normaliseLookupCode, reportToken } from './report-token.ts';
import type { RequestRow } from './request-row.ts';

/** Wrong codes a ticket takes before it waits, and how long it waits (minutes). */
export const lookupLimit = { tries: 5, windowMinutes: 15 } as const;

/**
 * Ticket + lookup code → the report token, which the phone keeps: from then on it is the
 * reporter's own view there, rating included. Every try counts first, in one guarded statement
 * (a row lock orders concurrent tries, so a burst cannot slip past the limit); a right code
 * clears the count. Past the limit even the right code waits, or guessing would go on.
 */
export async function redeemLookupCode(database: Database, row: RequestRow, typed: string): Promise<string> {
  const counted = await database.rows<{ failures: number }>(sql`
    UPDATE requests SET
      code_failures = CASE WHEN code_failed_at IS NULL OR code_failed_at < now() - make_interval(mins => ${lookupLimit.windowMinutes})
                           THEN 1 ELSE code_failures + 1 END,
      code_failed_at = now()
    WHERE id = ${row.id}
      AND NOT (code_failures >= ${lookupLimit.tries} AND code_failed_at >= now() - make_interval(mins => ${lookupLimit.windowMinutes}))
    RETURNING code_failures AS failures`);
  if (!counted.length) {
    throw new ApiError('too_many_attempts', `too many wrong lookup codes for ${row.ticket}; try again in ${lookupLimit.windowMinutes} minutes`,
      { retryAfterMinutes: lookupLimit.windowMinutes });
  }
  if (normaliseLookupCode(typed) !== (await lookupCode(database, row.ticket))) {
    throw new ApiError('wrong_lookup_code', `the lookup code does not match ticket ${row.ticket}`, { field: 'code' });
  }
  await database.rows(sql`UPDATE requests SET code_failures = 0, code_failed_at = NULL WHERE id = ${row.id} RETURNING id`);
  return reportToken(database, row.ticket);
}
