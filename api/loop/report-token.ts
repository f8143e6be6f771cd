import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/**
 * The reporter's proof (for adding a photo and rating): an HMAC of the ticket with the server's
 * secret, so nothing is stored per request and a leaked database reveals no tokens. The secret is
 * `SECRET` from the environment, or a random one kept in `meta` (created once, shared by every
 * process on the same database).
 */
const secrets = new WeakMap<Database, Promise<string>>();

function secretOf(database: Database): Promise<string> {
  if (process.env.SECRET) return Promise.resolve(process.env.SECRET);
  let secret = secrets.get(database);
  if (!secret) {
    secret = (async () => {
      const fresh = randomBytes(32).toString('base64url');
      await database.rows(sql`INSERT INTO meta (key, value) VALUES ('report_token_secret', ${JSON.stringify(fresh)}::jsonb)
        ON CONFLICT (key) DO NOTHING RETURNING key`);
      const [row] = await database.rows<{ value: string }>(sql`SELECT value #>> '{}' AS value FROM meta WHERE key = 'report_token_secret'`);
      return row.value;
    })();
    secret.catch(() => secrets.delete(database));
    secrets.set(database, secret);
  }
  return secret;
}

export async function reportToken(database: Database, ticket: string): Promise<string> {
  return createHmac('sha256', await secretOf(database)).update(`report:${ticket}`).digest('base64url').slice(0, 32);
}

export async function checkReportToken(database: Database, ticket: string, token: string | undefined | null): Promise<boolean> {
  if (!token || token.length !== 32) return false;
  const expected = Buffer.from(await reportToken(database, ticket));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------- the lookup code (issue 10)

/**
 * The code a resident types on another phone (or in WeChat's browser) beside the ticket number to
 * reach their own view: 8 letters and digits with no look-alikes (no I, L, O, 0, 1), derived like
 * the token from the server's secret, so it is stored nowhere and a leaked database reveals none.
 * 31⁸ ≈ 8.5·10¹¹ codes against 5 tries per 15 minutes a ticket (./lookup-code.ts).
 */
export const lookupAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const lookupCodeLength = 8;

export async function lookupCode(database: Database, ticket: string): Promise<string> {
  const digest = createHmac('sha256', await secretOf(database)).update(`lookup:${ticket}`).digest();
  let code = '';
  for (let i = 0; i < lookupCodeLength; i++) code += lookupAlphabet[digest.readUInt32BE(i * 4) % lookupAlphabet.length];
  return code;
}

/** The code as a person types it: any case, spaces and dashes between groups. */
export const normaliseLookupCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '');
