import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Database } from './db/client.ts';
import { ApiError, errorResponse } from './errors.ts';
import { areaRoutes } from './routes/areas.ts';
import { circleRoutes } from './routes/circle.ts';
import { nearbyRoutes } from './routes/nearby.ts';
import { qrRoutes } from './routes/qr.ts';
import { riderRoutes } from './routes/rider.ts';
import { searchRoutes } from './routes/search.ts';
import { collectionRoutes, origin } from './routes/collections.ts';
import { eventRoutes } from './routes/events.ts';
import { open311Routes } from './routes/open311.ts';
import { requestRoutes } from './routes/requests.ts';
import { sessionRoutes } from './routes/session.ts';
import { photoRoutes, staffRequestRoutes } from './routes/staff-requests.ts';
import { statsRoutes } from './routes/stats.ts';
import { tileRoutes } from './routes/tiles.ts';
import type { TileIndex } from './tiles/tile-index.ts';

export interface AppContext {
  database: Database;
  tiles: TileIndex;
  /** how long the database took to open, migrate and load, for /api/health */
  loadedInMs?: number;
}

/** The whole API, without a server: tests call `app.request(...)` on it. */
export function createApp({ database, tiles, loadedInMs }: AppContext) {
  const api = new Hono()
    .use('*', cors({ origin: '*', allowMethods: ['GET', 'POST'] }))
    .use('*', (c, next) => (c.req.method === 'POST' && c.req.path.endsWith('/photos') ? next() : bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => errorResponse(new ApiError(413, 'the body is larger than 64 KB; send the request without attachments'), c),
    })(c, next))) // photo uploads have their own limit (api/photos.ts)
    .get('/', (c) => {
      const base = origin(c.req.url);
      return c.json({
        title: '一图 Grid Map API',
        description: 'Grids, service points and requests of the community grid map (OGC API – Features)',
        links: [
          { href: `${base}/api`, rel: 'self', type: 'application/json' },
          { href: `${base}/api/conformance`, rel: 'conformance', type: 'application/json' },
          { href: `${base}/api/collections`, rel: 'data', type: 'application/json' },
          { href: `${base}/api/tiles.json`, rel: 'tiles', type: 'application/json' },
        ],
      });
    })
    .get('/conformance', (c) => c.json({
      conformsTo: [
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ],
    }))
    .get('/health', (c) => c.json({ ok: true, database: database.kind, loadedInMs: loadedInMs ?? null }))
    .route('/collections', collectionRoutes(database))
    .route('/events', eventRoutes(database))
    .route('/stats', statsRoutes(database))
    .route('/', tileRoutes(tiles))
    .route('/', areaRoutes(database))
    .route('/session', sessionRoutes(database))
    .route('/staff/requests', staffRequestRoutes(database))
    .route('/photos', photoRoutes(database))
    .route('/requests', requestRoutes(database))
    .route('/', nearbyRoutes(database))
    .route('/', searchRoutes(database))
    .route('/rider', riderRoutes(database))
    .route('/qr', qrRoutes(database))
    .route('/circle', circleRoutes(database));

  const app = new Hono().route('/api', api);
  app.route('/open311/v2', open311Routes(database));
  app.notFound((c) => errorResponse(new ApiError(404, `nothing at ${new URL(c.req.url).pathname}; the API starts at /api`), c));
  app.onError(errorResponse); // the one place errors are answered (Open311 keeps its spec's format: api/routes/open311.ts)
  return app;
}

export type AppType = ReturnType<typeof createApp>;
