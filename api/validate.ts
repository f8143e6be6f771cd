import type { Context, Env, MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import { ApiError } from './errors.ts';

// Input is checked once, here at the boundary, against the wire schemas (api/contract/wire.ts):
// `json(schema)` for bodies, `query(schema)` for the query string (@hono/zod-validator).
// Handlers read `c.req.valid(...)` and trust it. A refused input is an ApiError with a stable code
// (required, invalid_value, too_long, unknown_field…) and the field to fix.

/** The first problem zod found, as the ApiError a client can act on. */
export function inputError(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  const field = issue.path.join('.') || undefined;
  const given = valueAt(input, issue.path);
  const custom = issue.message && !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too ') ? issue.message : null;
  const name = field ?? 'the body';
  if (issue.code === 'unrecognized_keys') {
    return new ApiError('unknown_field', `unknown field(s): ${issue.keys.join(', ')}`, { fields: issue.keys });
  }
  if (field && (given === undefined || given === null || (typeof given === 'string' && given.trim() === ''))) {
    return new ApiError('required', custom ?? `${name} is required`, field);
  }
  switch (issue.code) {
    case 'invalid_type':
      if (!field) return new ApiError('invalid_body', 'the body must be a JSON object');
      return new ApiError('invalid_value', custom ?? `${name} must be ${issue.expected}`, field);
    case 'too_small':
      return issue.origin === 'string'
        ? new ApiError('too_short', custom ?? `${name} must be at least ${issue.minimum} characters`, { field, minimum: Number(issue.minimum) })
        : new ApiError('out_of_range', custom ?? `${name} must be at least ${issue.minimum}`, { field, minimum: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string'
        ? new ApiError('too_long', custom ?? `${name} must be at most ${issue.maximum} characters`, { field, maximum: Number(issue.maximum) })
        : new ApiError('out_of_range', custom ?? `${name} must be at most ${issue.maximum}`, { field, maximum: Number(issue.maximum) });
    case 'invalid_value':
      return new ApiError('invalid_value', custom ?? `${name} must be one of: ${issue.values.join(', ')}`, { field, allowed: issue.values });
    default:
      return new ApiError('invalid_value', custom ?? `${name} is not valid`, field);
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * The JSON body, checked against `schema`. Read whatever the Content-Type says (clients have
 * always been able to send JSON as text/plain), unlike Hono's json validator, which would
 * silently see `{}`; a body that is not JSON, or not an object, is refused with its own code.
 */
export function json<S extends z.ZodType, E extends Env = Env, P extends string = string>(schema: S):
  MiddlewareHandler<E, P, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const body = await readJson(c);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw inputError(parsed.error, body);
    c.req.addValidatedData('json', parsed.data as object);
    await next();
  };
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'the body must be JSON (a JSON object with the fields this call takes)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_body', 'the body must be a JSON object');
  }
  return body;
}

const refuse = (result: { success: true } | { success: false; error: unknown }, c: Context) => {
  if (!result.success) throw inputError(result.error as z.ZodError, c.req.query());
};

/** The query string, checked against `schema`. */
export const query = <S extends z.ZodType>(schema: S) => zValidator('query', schema, (result, c) => refuse(result, c));

/** `limit`: a whole number ≥ 1, at most `max` (more is served as `max`). */
export const Limit = (fallback: number, max: number) => z.string().optional().transform((value, ctx) => {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    ctx.addIssue({ code: 'too_small', origin: 'number', minimum: 1, inclusive: true, message: `limit must be a whole number from 1 to ${max}` });
    return z.NEVER;
  }
  return Math.min(Number(value), max);
});

