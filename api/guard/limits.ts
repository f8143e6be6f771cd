// How much one client (one address, api/guard/client.ts) may do, per window: the defaults suit a
// street where many residents share a carrier's address (mobile networks in China put whole
// neighbourhoods behind one), and are set by env without a code change (README, "Settings").

export interface Limits {
  windowMinutes: number; // the window every count below is per
  filings: number; // POST /api/requests
  meToo: number; // POST /api/requests/{ticket}/me-too
  photos: number; // photo uploads, residents' and staff's
  open311: number; // POST /open311/v2/requests.{json,xml}
  signIns: number; // POST /api/session, any username
  signInTries: number; // wrong passwords for one account from one client before it waits
  signInMinutes: number; // how long those tries are counted, and the wait after the last one
  streams: number; // live streams (GET /api/events) open at once
  trustProxy: number; // proxies in front whose X-Forwarded-For is believed (TRUST_PROXY)
  // the public wish claim (我来认领 on /wishes, POST /api/lists/wishes/{id}/claim): its own count, not
  // the filings' — a volunteer claiming wishes does not use up a neighbour's filings, nor the reverse
  wishClaims: number;
}

export const defaultLimits: Limits = {
  windowMinutes: 10,
  filings: 20,
  meToo: 60,
  photos: 30,
  open311: 120,
  signIns: 30,
  signInTries: 5,
  signInMinutes: 15,
  streams: 8,
  trustProxy: 0,
  wishClaims: 10, // a community publishes a handful of wishes a month: ten claims in ten minutes from one address is plenty
};

/** For benches and load tests, which speak for many clients from one address. */
export const noLimits: Limits = {
  ...defaultLimits, filings: Number.MAX_SAFE_INTEGER, meToo: Number.MAX_SAFE_INTEGER, photos: Number.MAX_SAFE_INTEGER,
  open311: Number.MAX_SAFE_INTEGER, signIns: Number.MAX_SAFE_INTEGER, signInTries: Number.MAX_SAFE_INTEGER, streams: Number.MAX_SAFE_INTEGER,
  wishClaims: Number.MAX_SAFE_INTEGER,
};

/** The same, as the environment of a server process a bench or test starts. */
export const noLimitsEnv: Record<string, string> = {
  RATE_LIMIT_FILINGS: '1000000', RATE_LIMIT_ME_TOO: '1000000', RATE_LIMIT_PHOTOS: '1000000', RATE_LIMIT_OPEN311: '1000000',
  RATE_LIMIT_SIGN_INS: '1000000', STREAMS_PER_CLIENT: '1000000',
  RATE_LIMIT_WISH_CLAIMS: '1000000',
};

const envNames: Record<keyof Limits, string> = {
  windowMinutes: 'RATE_LIMIT_WINDOW_MINUTES',
  filings: 'RATE_LIMIT_FILINGS',
  meToo: 'RATE_LIMIT_ME_TOO',
  photos: 'RATE_LIMIT_PHOTOS',
  open311: 'RATE_LIMIT_OPEN311',
  signIns: 'RATE_LIMIT_SIGN_INS',
  signInTries: 'SIGN_IN_TRIES',
  signInMinutes: 'SIGN_IN_MINUTES',
  streams: 'STREAMS_PER_CLIENT',
  trustProxy: 'TRUST_PROXY',
  wishClaims: 'RATE_LIMIT_WISH_CLAIMS',
};

/** The limits from the environment, each a positive whole number or its default; a bad value stops the start-up with its name. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const limits = { ...defaultLimits };
  for (const key of Object.keys(envNames) as (keyof Limits)[]) {
    const raw = env[envNames[key]]?.trim();
    if (!raw) continue;
    if (key === 'trustProxy') {
      limits.trustProxy = raw.toLowerCase() === 'true' ? 1 : raw.toLowerCase() === 'false' ? 0 : Number(raw);
    } else {
      limits[key] = Number(raw);
    }
    const min = key === 'trustProxy' ? 0 : 1;
    if (!Number.isInteger(limits[key]) || limits[key] < min) {
      throw new Error(`${envNames[key]}=${raw}: must be a whole number ≥ ${min}${key === 'trustProxy' ? ' (or true/false)' : ''}`);
    }
  }
  return limits;
}
