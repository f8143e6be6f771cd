import { sql } from 'drizzle-orm';
import type { TestApp } from './app.ts';

export const demoPassword = process.env.DEMO_PASSWORD || 'demo1234';
const base = 'http://localhost';

/** Signs in a demo account and answers its cookie header (`gm_session=…`). */
export async function signIn(t: TestApp, username: string, password = demoPassword): Promise<string> {
  const res = await t.post('/api/session', { username, password });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0];
}

/** A request as a signed-in browser sends it: the cookie, and a JSON or multipart body. */
export async function call(t: TestApp, method: string, path: string, options: { cookie?: string; body?: unknown; form?: FormData } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  return t.app.request(base + path, { method, headers, body });
}

/** A point inside an area (PostGIS picks it), for filing requests where a test needs them. */
export async function pointIn(t: TestApp, areaId: string): Promise<{ lon: number; lat: number }> {
  const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = ${areaId}) x`);
  if (!p) throw new Error(`no area ${areaId}`);
  return { lon: Number(p.lon), lat: Number(p.lat) };
}

/** Files a request in an area (its micro-grid's point, so the grid is the one asked for); answers the filing's body. */
export async function fileIn(t: TestApp, areaId: string, extra: Record<string, unknown> = {}) {
  const [micro] = await t.database.rows<{ id: string }>(sql`
    SELECT id FROM areas WHERE (id = ${areaId} AND level = 'microgrid') OR (parent_id = ${areaId} AND level = 'microgrid') ORDER BY id LIMIT 1`);
  const where = await pointIn(t, micro?.id ?? areaId);
  const res = await t.post('/api/requests', {
    category: 'blocked_drain', description: '楼下下水道堵了，污水漫到楼道口', contact: '138-1234-5678', ...where, ...extra,
  });
  if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, any>>;
}
