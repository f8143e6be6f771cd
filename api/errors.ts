import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The statuses an expected failure may answer with: the client's mistakes, and 503 while starting. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 503;

/** What an error body carries besides `error`: the field to fix, and any facts the client acts on. */
export type ErrorDetails = { field?: string } & Record<string, unknown>;

/**
 * Expected failures carry their status and a message that says what to fix. Thrown from anywhere
 * inside a handler, they reach `app.onError` (api/app.ts → `errorResponse`), which answers
 * `{ error, field?, …details }` with the status. The third argument is either the field's name or
 * an object of details, e.g. `{ from, to, allowed }` for a refused step of the loop or
 * `{ lockedUntil }` for a locked account.
 */
export class ApiError extends Error {
  readonly field?: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(readonly status: ErrorStatus, message: string, details?: string | ErrorDetails) {
    super(message);
    const all: Record<string, unknown> = typeof details === 'string' ? { field: details } : { ...details };
    for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
    this.field = typeof all.field === 'string' ? all.field : undefined;
    this.details = all;
  }

  /** The JSON body: `{ error, field?, …details }`. */
  body(): Record<string, unknown> {
    return { error: this.message, ...this.details };
  }
}

export const badRequest = (message: string, field?: string) => new ApiError(400, message, field);
export const unprocessable = (message: string, field?: string) => new ApiError(422, message, field);
export const unauthorized = () => new ApiError(401, '请先登录 / sign in first: POST /api/session { username, password }');
export const forbidden = (what = 'this request') => new ApiError(403, `不在您的负责范围内 / ${what} is outside your area`);

/**
 * The one answer to a failure, installed as `app.onError`: an `ApiError` as its body and status,
 * a Hono `HTTPException` as `{ error }` with its status, anything else as a 500 (logged).
 */
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
    return new ApiError(400, 'text must not contain the NUL character (\\u0000); remove it and send again');
  }
  return null;
}

export function errorResponse(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(err.body(), err.status);
  if (err instanceof HTTPException) return c.json({ error: err.message || 'the request could not be handled' }, err.status as ContentfulStatusCode);
  const known = fromDatabase(err);
  if (known) return c.json(known.body(), known.status);
  console.error(err);
  return c.json({ error: 'internal error; the request was not completed, please try again' }, 500);
}

export { HTTPException };
