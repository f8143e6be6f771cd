import type { Context } from 'hono';
import type { ErrorHttpStatus } from '../contract/errors.ts';
import { toXml } from './xml.ts';

/** GeoReport v2's errors, `[{ code, description }]` or `<errors>`: XML unless the path asked for .json. */
export function open311Error(c: Context, status: ErrorHttpStatus, description: string) {
  const errors = [{ code: status, description }];
  if (c.req.path.endsWith('.json')) return c.json(errors, status);
  return c.body(toXml('errors', errors), status, { 'content-type': 'text/xml; charset=utf-8' });
}
