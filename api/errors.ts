import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorStatus, type ErrorCode } from './contract/errors.ts';

/** What an error body carries besides `error` and `code`: the field to fix, and facts the client acts on. */
export type ErrorDetails = { field?: string } & Record<string, unknown>;

/**
 * Expected failures carry a stable `code` (api/contract/errors.ts, which also fixes the status)
 * and an English message that says what to fix. Thrown from anywhere inside a handler, they reach
 * `app.onError` (api/app.ts → `errorResponse`), which answers `{ error, code, field?, …details }`.
 * The third argument is the field's name or an object of details, e.g. `{ from, to, allowed }` for
 * a refused step of the loop or `{ retryAfter }` for a client that must wait.
 */
export class ApiError extends Error {
  readonly status: (typeof errorStatus)[ErrorCode];
  readonly field?: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(readonly code: ErrorCode, message: string, details?: string | ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.status = errorStatus[code];
    const all: Record<string, unknown> = typeof details === 'string' ? { field: details } : { ...details };
    for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
    this.field = typeof all.field === 'string' ? all.field : undefined;
    this.details = all;
  }

  /** The JSON body: `{ error, code, field?, …details }`. */
  body(): { error: string; code: ErrorCode; field?: string } & Record<string, unknown> {
    return { error: this.message, code: this.code, ...this.details };
  }
}

export const unauthorized = () => new ApiError('sign_in_required', 'sign in first: POST /api/session { username, password }');
export const forbidden = (what = 'this request') => new ApiError('out_of_scope', `${what} is outside your area`);

const nulCodes = new Set(['22021', '22P05']);

/** The SQLSTATE of a database error, whether the driver threw it or Drizzle wrapped it as `cause`. */
function postgresCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A database error that the client's input caused, as the 4xx it deserves — so far one:
 * PostgreSQL refuses the NUL character in text (22021; 22P05 inside JSON).
 */
export function fromDatabase(err: unknown): ApiError | null {
  if (nulCodes.has(postgresCode(err) ?? '')) {
    return new ApiError('nul_character', 'text must not contain the NUL character (\\u0000); remove it and send again', undefined, { cause: err });
  }
  return null;
}

/**
 * The one answer to a failure, installed as `app.onError`: an `ApiError` as its body and status,
 * a Hono `HTTPException` as `{ error, code }` with its status, anything else as a 500 (logged).
 */
export function errorResponse(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(err.body(), err.status, retryAfterHeader(err));
  if (err instanceof HTTPException) {
    const code: ErrorCode = err.status === 413 ? 'body_too_large' : err.status === 401 ? 'sign_in_required' : 'invalid_value';
    return c.json({ error: err.message || 'the request could not be handled', code }, err.status as ContentfulStatusCode);
  }
  const known = fromDatabase(err);
  if (known) return c.json(known.body(), known.status);
  console.error(err);
  return c.json({ error: 'internal error; the request was not completed, please try again', code: 'internal' satisfies ErrorCode }, 500);
}

export { HTTPException };

/** A refusal that says when to come back (`retryAfter` seconds: 429s) carries it as the Retry-After header too. */
export function retryAfterHeader(err: ApiError): Record<string, string> {
  const seconds = err.details.retryAfter;
  return typeof seconds === 'number' ? { 'retry-after': String(seconds) } : {};
}
