import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

// Who a request comes from, for rate limits and sign-in throttling: the socket's address, or —
// only behind a proxy the operator named with TRUST_PROXY — the address that proxy appended to
// X-Forwarded-For. Without TRUST_PROXY the header is ignored: anyone can write it, and trusting
// it would let a client pick a fresh key for every request (docs/deploy.md).

/** The client's address: with `proxies` trusted hops, the one the outermost trusted proxy saw. */
export function clientAddress(c: Context, proxies: number): string {
  const socket = socketAddress(c);
  if (proxies === 0) return socket;
  // each trusted proxy appended the address it saw: the last `proxies` entries are theirs to vouch for
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const seen = hops[hops.length - proxies];
  return seen && seen.length <= 64 ? seen : socket;
}

/** The peer of the socket; `local` when there is none (`app.request` in tests and scripts). */
function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** Was this request made over HTTPS — at our socket, or (TRUST_PROXY) at the proxy, or as PUBLIC_URL says? */
export function servedOverHttps(c: Context, proxies: number): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (process.env.PUBLIC_URL?.trim().startsWith('https://')) return true;
  return proxies > 0 && c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https';
}
