/**
 * The app's pages by path. The server answers every non-API path with index.html, so a QR code
 * can point straight at /rider/{compoundId} or /ticket/{ticket}. Each page is its own chunk:
 * a rider's phone loads the rider guide, not the wall screen.
 */
export type PageName = 'map' | 'wall' | 'worker' | 'login' | 'setup' | 'ticket' | 'resident' | 'report' | 'rider' | 'circle' | 'rates'
  | 'intake' // staff record a request for a resident
  | 'admin' // the administration console
  | 'care' // care ledgers 关爱台账 (issue 11 §2)
  | 'visits' // field visits and patrol 走访巡查 (issue 11 §3)
  | 'lists' // 三项清单 and 微心愿 (issue 11 §1)
  | 'wishes'; // the public wish board 微心愿 (issue 11)

const routes: [RegExp, PageName, string[]][] = [
  [/^\/$/, 'map', []],
  [/^\/wall\/?$/, 'wall', []],
  [/^\/worker\/?$/, 'worker', []],
  [/^\/login\/?$/, 'login', []],
  [/^\/setup\/?$/, 'setup', []],
  [/^\/ticket\/([^/]+)\/?$/, 'ticket', ['ticket']],
  [/^\/resident\/?$/, 'resident', []],
  [/^\/report\/?$/, 'report', []],
  [/^\/rider\/([^/]+)\/?$/, 'rider', ['compoundId']],
  [/^\/circle\/?$/, 'circle', []],
  [/^\/rates\/?$/, 'rates', []],
  [/^\/worker\/intake\/?$/, 'intake', []],
  [/^\/admin\/?$/, 'admin', []], // the administration console (issue 8)
  [/^\/care\/?$/, 'care', []], // care ledgers (issue 11 §2)
  [/^\/visits\/?$/, 'visits', []], // field visits and patrol (issue 11 §3)
  [/^\/lists\/?$/, 'lists', []], // 三项清单 and 微心愿 (issue 11 §1)
  [/^\/wishes\/?$/, 'wishes', []], // the public wish board (issue 11)
];

export function match(pathname: string): { page: PageName; params: Record<string, string> } {
  for (const [pattern, page, names] of routes) {
    const m = pathname.match(pattern);
    if (m) return { page, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return { page: 'map', params: {} };
}

class Router {
  current = $state(match(location.pathname));

  constructor() {
    addEventListener('popstate', () => { this.current = match(location.pathname); });
  }

  /** Moves to another page of the app without reloading it. */
  go(path: string) {
    history.pushState(null, '', path);
    this.current = match(new URL(path, location.href).pathname);
  }
}

export const router = new Router();
