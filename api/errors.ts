import { HTTPException } from 'hono/http-exception';

/**
 * Expected failures carry their status and a message that says what to fix. Thrown from deep
 * inside a handler, they reach `app.onError`, which answers `{ error, field }` with the status.
 */
export class ApiError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 409 | 413 | 422 | 503, message: string, readonly field?: string) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) => new ApiError(400, message, field);
export const unprocessable = (message: string, field?: string) => new ApiError(422, message, field);
export { HTTPException };
