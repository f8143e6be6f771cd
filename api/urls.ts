/** The origin a request came to (scheme, host, port): links in OGC and TileJSON answers point back to it. */
export const origin = (url: string) => new URL(url).origin;

/** What phones outside can reach: `PUBLIC_URL` when set (behind a proxy, on a real domain), else the request's origin. */
export function publicBase(requestUrl: string): string {
  const configured = process.env.PUBLIC_URL?.trim();
  return (configured || origin(requestUrl)).replace(/\/+$/, '');
}
