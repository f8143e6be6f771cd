import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

/**
 * Failures of the loop and the sign-in that need a status or a body `ApiError` does not carry
 * (401, 415, 423, and 409 with the allowed transitions). Sub-apps that throw them install
 * `loopErrorHandler` as their `onError`.
 */
export class LoopError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

export const unauthorized = () => new LoopError(401, '请先登录 / sign in first: POST /api/session { username, password }');
export const forbidden = (what = 'this request') => new LoopError(403, `不在您的负责范围内 / ${what} is outside your area`);

export function loopErrorHandler(err: Error, c: Context) {
  if (err instanceof LoopError) return c.json({ error: err.message, ...err.extra }, err.status);
  if (err instanceof ApiError) return c.json({ error: err.message, ...(err.field ? { field: err.field } : {}) }, err.status);
  console.error(err);
  return c.json({ error: 'internal error; the request was not completed, please try again' }, 500);
}
