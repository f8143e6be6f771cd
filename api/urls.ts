/**
 * Every absolute URL the API hands out (OGC and TileJSON links, Open311's endpoint, QR codes, the
 * setup link) starts here: `PUBLIC_URL` when set — behind a proxy, on a real domain, over HTTPS —
 * else the origin the request came to, which is only right when phones reach the server as the
 * asker did (a QR sheet printed from http://127.0.0.1 encodes 127.0.0.1: api/places/qr.ts warns).
 */
export function publicBase(requestUrl: string): string {
  return (configuredBase() ?? new URL(requestUrl).origin).replace(/\/+$/, '');
}

/** `PUBLIC_URL` without its trailing slash, or null when it is not set. */
export function configuredBase(): string | null {
  return process.env.PUBLIC_URL?.trim().replace(/\/+$/, '') || null;
}

/** The request's own URL (path and query) on the public base: OGC `self` links. */
export function publicUrl(requestUrl: string): URL {
  const asked = new URL(requestUrl);
  return new URL(asked.pathname + asked.search, publicBase(requestUrl) + '/');
}
