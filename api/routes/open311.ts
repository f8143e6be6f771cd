import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError, fromDatabase, retryAfterHeader } from '../errors.ts';
import { openStatuses } from '../contract/vocabulary.ts';
import { Lat, Lon } from '../contract/wire.ts';
import { sqlList } from '../db/sql-list.ts';
import {
  changeset, isServiceCode, loadRequests, serviceDefinition, serviceName, services,
} from '../open311/georeport.ts';
import { toXml, type XmlValue } from '../open311/xml.ts';
import { open311Error } from '../open311/errors.ts';
import { inputError } from '../validate.ts';
import { fileRequest } from '../loop/file.ts';
import { publicBase } from '../urls.ts';
import { hashToken } from '../auth/session.ts';
import { z } from 'zod';

type Format = 'json' | 'xml';

/**
 * Open311 GeoReport v2 at /open311/v2 (docs/live-and-open311.md): discovery, services, service
 * definitions, requests (GET with the spec's filters; POST with an api_key, filed through the
 * same `fileRequest` as POST /api/requests), requests/{id} and tokens/{token}, each as .json or
 * .xml. Errors follow the spec too: `[{ code, description }]` / `<errors>`, 400/403/404.
 */
export function open311Routes(database: Database, postLimit: MiddlewareHandler) {
  const app = new Hono();
  app.use('*', cors({ origin: '*', allowMethods: ['GET', 'POST'] }));
  app.use('*', (c, next) => (c.req.method === 'POST' ? postLimit(c, next) : next())); // per client (api/guard/rate-limit.ts)
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => open311Error(c, 413, 'the request body is larger than 64 KB') }));

  app.get('/:file', async (c) => {
    const [name, format] = resource(c.req.param('file'));
    if (name === 'discovery') return answer(c, format, 'discovery', discovery(c));
    if (name === 'services') return answer(c, format, 'services', services());
    if (name === 'requests') return answer(c, format, 'service_requests', await loadRequests(database, requestFilter(c)));
    throw notFound(name);
  });

  app.get('/services/:file', (c) => {
    const [code, format] = resource(c.req.param('file'));
    if (!isServiceCode(code)) throw new ApiError('service_not_found', `service_code ${code} not found; GET services.${format} lists them`);
    return answer(c, format, 'service_definition', serviceDefinition(code));
  });

  app.get('/requests/:file', async (c) => {
    const [ticket, format] = resource(c.req.param('file'));
    const found = await loadRequests(database, sql`r.ticket = ${ticket}`, 1);
    if (found.length === 0) throw new ApiError('request_not_found', `service_request_id ${ticket} not found`);
    return answer(c, format, 'service_requests', found);
  });

  // every service is realtime, so POST answers the id at once and a request's token is its id:
  // this resolves it for clients that always go through tokens
  app.get('/tokens/:file', async (c) => {
    const [token, format] = resource(c.req.param('file'));
    const [row] = await database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE ticket = ${token}`);
    if (!row) throw new ApiError('not_found', `token ${token} not found`);
    return answer(c, format, 'service_requests', [{ service_request_id: row.ticket, token }]);
  });

  app.post('/:file', async (c) => {
    const [name, format] = resource(c.req.param('file'));
    if (name !== 'requests') throw notFound(name);
    const form = await formOf(c);
    const key = form.api_key;
    if (!key) throw new ApiError('api_key_missing', 'api_key is missing; ask the street office for a key to file requests');
    const [known] = await database.rows(sql`SELECT 1 FROM api_keys WHERE key_hash = ${hashToken(key.slice(0, 200))} AND revoked_at IS NULL`);
    if (!known) throw new ApiError('api_key_invalid', 'Invalid api_key received -- cannot proceed with create_request');

    const code = form.service_code;
    if (!code) throw new ApiError('required', 'service_code was not provided', { field: 'service_code' });
    if (!isServiceCode(code)) throw new ApiError('service_not_found', `service_code ${code} not found; GET services.${format} lists them`);
    if (!form.lat && !form.long) {
      throw new ApiError('required', form.address_string || form.address_id
        ? 'this server places requests by lat & long (WGS84) and does not geocode addresses; send lat and long'
        : 'a location is required: send lat and long (WGS84)', { field: 'lat' });
    }
    const located = z.object({ lon: Lon, lat: Lat }).safeParse({ lon: form.long, lat: form.lat });
    if (!located.success) {
      const refused = inputError(located.error, { lon: form.long, lat: form.lat });
      throw new ApiError(refused.code, refused.message.replace(/^lon /, 'long '), { ...refused.details, field: refused.field === 'lon' ? 'long' : refused.field });
    }
    const point = located.data;
    const description = (form.description ?? '').trim() || serviceName(code);
    if (description.length > 2000) throw new ApiError('too_long', 'description must be at most 2000 characters', { field: 'description', maximum: 2000 });
    const phone = form.phone?.trim() || undefined;
    if (phone && !/^\+?[0-9][0-9 -]{4,19}$/.test(phone)) {
      throw new ApiError('invalid_value', 'phone must be a phone number (digits, spaces, dashes; 5–20 characters)', { field: 'phone' });
    }

    let filed;
    try {
      filed = await fileRequest(database, { category: code, description, lon: point.lon, lat: point.lat, contact: phone, channel: 'open311' });
    } catch (error) {
      // outside every street: the spec has no 422, a general 400 it is (the handler below answers 422 as 400)
      throw error;
    }
    const where = [filed.community?.name, filed.grid?.name].filter(Boolean).join(' ');
    return answer(c, format, 'service_requests', [{
      service_request_id: filed.ticket,
      service_notice: `已受理，按位置分派至${where}处理 / filed and assigned to ${where}`,
    }]);
  });

  app.notFound((c) => open311Error(c, 404, `nothing at ${new URL(c.req.url).pathname}; start at /open311/v2/discovery.json`));
  // the one error handler besides app.onError, because GeoReport v2 answers errors in its own
  // format ([{ code, description }] or <errors>, by the path's .json/.xml), not as { error }
  app.onError((error, c) => {
    const known = error instanceof ApiError ? error : fromDatabase(error);
    if (known) {
      for (const [name, value] of Object.entries(retryAfterHeader(known))) c.header(name, value);
      return open311Error(c, known.status === 422 ? 400 : known.status, known.message);
    }
    console.error(error);
    return open311Error(c, 500, 'internal error; the request was not completed, please try again');
  });
  return app;
}

/** "services.json" → ["services", "json"]; a missing or unknown format is a 404, answered in XML. */
function resource(file: string): [string, Format] {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1);
  if (dot <= 0 || (format !== 'json' && format !== 'xml')) {
    throw new ApiError('not_found', `${file}: add the format, .json or .xml (e.g. services.json)`);
  }
  // Hono decodes the path parameter already; decoding again turned `%25…` into another id, and threw
  // (a 500) where the first decoding had left a sequence that is no UTF-8, e.g. a lone surrogate's %ED%A0%80
  return [file.slice(0, dot), format];
}

const notFound = (name: string) => new ApiError('not_found', `no resource ${name}; these exist: discovery, services, requests, tokens`);

function answer(c: Context, format: Format, root: string, value: XmlValue) {
  if (format === 'json') return c.json(value as object, 200);
  return c.body(toXml(root, value), 200, { 'content-type': 'text/xml; charset=utf-8' });
}

function discovery(c: Context) {
  const origin = publicBase(c.req.url);
  return {
    changeset,
    contact: '民生街道网格化服务管理中心 / Minsheng street grid service centre',
    key_service: '向街道办申请 API key / ask the street office for an api_key',
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${origin}/open311/v2`,
      changeset,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    }],
  };
}

/** POST fields from a form body (the spec's application/x-www-form-urlencoded) or the query string. */
async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  const fields: Record<string, string | undefined> = { ...c.req.query() };
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody();
    } catch (error) {
      // e.g. multipart/form-data without its boundary: the body cannot be split into fields
      throw new ApiError('invalid_body', 'the form body could not be read; send application/x-www-form-urlencoded', undefined, { cause: error });
    }
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
  } else if (type && !type.startsWith('text/plain')) {
    throw new ApiError('invalid_body', 'send the fields as application/x-www-form-urlencoded, as GeoReport v2 asks');
  }
  return fields;
}

const w3Pattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const day = 24 * 3600 * 1000;

/** GET requests' filters (spec, "GET Service Requests"): ids override the rest; at most 90 days. */
function requestFilter(c: Context): SQL {
  const q = (name: string) => c.req.query(name)?.trim() || undefined; // empty = not given, as the spec says
  const ids = q('service_request_id');
  if (ids) {
    const list = ids.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 1000);
    return sql`r.ticket IN ${list}`;
  }
  const parts: SQL[] = [];
  const codes = q('service_code');
  if (codes) {
    const list = codes.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = list.find((code) => !isServiceCode(code));
    if (unknown) throw new ApiError('invalid_value', `service_code ${unknown} is not one of ours; GET services.json lists them`, { field: 'service_code' });
    parts.push(sql`r.category IN ${list}`);
  }
  const statuses = q('status');
  if (statuses) {
    const list = statuses.split(',').map((s) => s.trim());
    if (list.some((s) => s !== 'open' && s !== 'closed')) throw new ApiError('invalid_value', 'status must be open, closed, or both (comma separated)', { field: 'status' });
    const open = sql`r.status IN ${sqlList(openStatuses)}`;
    if (!list.includes('closed')) parts.push(open);
    else if (!list.includes('open')) parts.push(sql`NOT ${open}`);
  }
  const start = date(q('start_date'), 'start_date');
  const end = date(q('end_date'), 'end_date');
  if (start && end && end.getTime() - start.getTime() > 90 * day) throw new ApiError('out_of_range', 'start_date to end_date may not span more than 90 days', { field: 'end_date' });
  if (start && end && end < start) throw new ApiError('out_of_range', 'end_date is before start_date', { field: 'end_date' });
  const from = start ?? new Date((end?.getTime() ?? Date.now()) - 90 * day);
  const to = end ?? new Date(Math.min(from.getTime() + 90 * day, Date.now() + day));
  parts.push(sql`r.created_at >= ${from.toISOString()}::timestamptz AND r.created_at <= ${to.toISOString()}::timestamptz`);
  return sql.join(parts, sql` AND `);
}

function date(value: string | undefined, field: string): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  if (!w3Pattern.test(value) || Number.isNaN(parsed.getTime())) {
    throw new ApiError('invalid_value', `${field} must be a w3 date-time with its zone, e.g. 2026-11-01T00:00:00+08:00`, { field });
  }
  return parsed;
}
