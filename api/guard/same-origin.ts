import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { sessionCookie } from '../auth/session.ts';
import { ApiError } from '../errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write that carries a staff session must come from our own pages. SameSite=Lax keeps the
 * cookie off most cross-site posts, but not off a sibling subdomain's, nor off old browsers:
 * so the browser's own word is checked too — `Sec-Fetch-Site` when it sends one, else `Origin`
 * against this server's origin and PUBLIC_URL's. Requests without a cookie (residents, Open311
 * systems) and clients that send neither header (curl, scripts: no ambient cookie to abuse)
 * pass.
 */
export const sameOriginWrites: MiddlewareHandler = async (c, next) => {
  if (safeMethods.has(c.req.method) || !getCookie(c, sessionCookie)) return next();
  const site = c.req.header('sec-fetch-site');
  const from = c.req.header('origin');
  const refused = site ? site !== 'same-origin' && site !== 'none' : from !== undefined && !ours(from, c.req.url);
  if (refused) {
    throw new ApiError('cross_site', `a signed-in change must come from this site's own pages (Sec-Fetch-Site: ${site ?? '–'}, Origin: ${from?.slice(0, 100) ?? '–'})`);
  }
  return next();
};

function ours(from: string, requestUrl: string): boolean {
  const own = [new URL(requestUrl).host];
  const configured = process.env.PUBLIC_URL?.trim();
  if (configured && URL.canParse(configured)) own.push(new URL(configured).host);
  return URL.canParse(from) && own.includes(new URL(from).host);
}
