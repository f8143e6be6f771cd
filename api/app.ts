import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Database } from './db/client.ts';
import { ApiError, errorResponse } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { layerRoutes } from './routes/layers.ts';
import { placeEditRoutes } from './routes/place-edits.ts'; // editing on the map (issue 8 §2)
import { areaRoutes } from './routes/areas.ts';
import { careRoutes } from './routes/care.ts';
import { visitRoutes } from './routes/visits.ts';
import { listRoutes } from './routes/lists.ts';
import { circleRoutes } from './routes/circle.ts';
import { collectionRoutes } from './routes/collections.ts';
import { eventRoutes } from './routes/events.ts';
import { nearbyRoutes } from './routes/nearby.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { open311Routes } from './routes/open311.ts';
import { photoRoutes } from './routes/photos.ts';
import { qrRoutes } from './routes/qr.ts';
import { rateRoutes } from './routes/rates.ts';
import { requestRoutes } from './routes/requests.ts';
import { riderRoutes } from './routes/rider.ts';
import { searchRoutes } from './routes/search.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { staffRequestRoutes } from './routes/staff-requests.ts';
import { statsRoutes } from './routes/stats.ts';
import { tileRoutes } from './routes/tiles.ts';
import type { TileIndex } from './tiles/tile-index.ts';
import { publicBase } from './urls.ts';
import { open311Error } from './open311/errors.ts';
import { isDemo } from './demo/mode.ts';
import { mapRoutes } from './routes/map.ts';
import { limitsFromEnv, type Limits } from './guard/limits.ts';
import { limitOf } from './guard/rate-limit.ts';
import { filingLimit } from './guard/filing-count.ts';
import { sameOriginWrites } from './guard/same-origin.ts';
import { streamCap } from './guard/stream-cap.ts';
import { readerOf, type ReplicaRead } from './db/replica.ts';

export interface AppContext {
  database: Database;
  tiles: TileIndex;
  /** how long the database took to open, migrate and load, for /api/health */
  loadedInMs?: number;
  /** rate limits and the trusted proxies: from the environment unless given (api/guard/limits.ts) */
  limits?: Limits;
  /** a streaming replica for public reads (DATABASE_REPLICA_URL): which routes use it is api/db/replica.ts */
  replica?: Database | null;
}

/** A middleware for POST requests only (the GETs of the same path pass untouched). */
const onPost = (middleware: MiddlewareHandler): MiddlewareHandler => (c, next) => (c.req.method === 'POST' ? middleware(c, next) : next());

const jsonLimit = 64 * 1024; // bytes: a request with its text, never an attachment

/** The API's routes under /api, chained so that `AppType` carries every route for the typed client (`hc`). */
function apiRoutes({ database, tiles, loadedInMs, replica }: AppContext, limits: Limits) {
  // the public reads api/db/replica.ts allows go to the replica when there is one; the rest to `database`, the primary
  const reads = (part: ReplicaRead) => readerOf({ primary: database, replica }, part);
  return new Hono()
    .use('*', cors({ origin: '*', allowMethods: ['GET', 'POST'] }))
    .use('*', (c, next) => (c.req.method === 'POST' && (c.req.path.endsWith('/photos') || c.req.path.startsWith('/api/admin/') && c.req.path.includes('/import')) ? next() : bodyLimit({
      maxSize: jsonLimit,
      onError: (c) => errorResponse(new ApiError('body_too_large', 'the body is larger than 64 KB; send the request without attachments', { maximum: jsonLimit }), c),
    })(c, next))) // photo uploads and imports have their own limits (api/loop/photos.ts, api/routes/admin.ts)
    // trust (issue 9 §2): signed-in writes from our own pages only; per-client limits on what strangers can repeat
    .use('*', sameOriginWrites)
    .use('/requests', onPost(filingLimit(limits, database))) // on PostgreSQL counted by the filing's own statement
    .use('/requests/:ticket/me-too', onPost(limitOf('meToo', limits, database)))
    .use('/requests/:ticket/photos', onPost(limitOf('photos', limits, database)))
    .use('/staff/requests/:ticket/photos', onPost(limitOf('photos', limits, database)))
    .use('/session', onPost(limitOf('signIns', limits, database)))
    .use('/setup', onPost(limitOf('signIns', limits, database)))
    .use('/events', streamCap(limits))
    .get('/', (c) => {
      const base = publicBase(c.req.url);
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
    // `demo`: the staff pages say 演示数据 while the fictional street is loaded (docs/setup.md)
    .get('/health', async (c) => c.json({ ok: true, database: database.kind, loadedInMs: loadedInMs ?? null, demo: await isDemo(database) }))
    .route('/collections', collectionRoutes(reads('collections')))
    .route('/events', eventRoutes(database))
    .route('/stats', statsRoutes(reads('stats')))
    .route('/', tileRoutes(tiles))
    .route('/', areaRoutes(reads('areas')))
    .route('/session', sessionRoutes(database, limits))
    .route('/setup', setupRoutes(database, limits))
    .route('/staff/requests', staffRequestRoutes(database))
    .route('/photos', photoRoutes(database))
    .route('/requests', requestRoutes(database))
    .route('/', nearbyRoutes(reads('nearby')))
    .route('/', searchRoutes(reads('search')))
    .route('/rider', riderRoutes(reads('rider')))
    .route('/qr', qrRoutes(database))
    .route('/circle', circleRoutes(reads('circle')))
    .route('/', rateRoutes(database))
    // staff notifications (issue 9 §4): their list, mark read, their own live stream
    .route('/notifications', notificationRoutes(database))
    // the administration console (issue 8)
    .route('/admin', adminRoutes(database))
    .route('/care', careRoutes(database)) // care ledgers (issue 11 §2)
    // place layers in and out (issue 8 §2–3)
    .route('/admin', layerRoutes(database))
    .route('/admin', placeEditRoutes(database)) // editing on the map (issue 8 §2)
    // requests by viewport (issue 12 §2): markers or counts per area, never one list of them all
    .route('/map', mapRoutes(reads('map')))
    // field visits and patrol (issue 11 §3): staff in scope only
    .use('/visits/:id/photos', onPost(limitOf('photos', limits, database)))
    .route('/visits', visitRoutes(database))
    // 三项清单: needs ↔ resources ↔ projects, and 微心愿 (issue 11 §1); a volunteer's claim from the public board has its own limit
    .use('/lists/wishes/:id/claim', onPost(limitOf('wishClaims', limits, database)))
    .route('/lists', listRoutes(database));
}

/** The whole API, without a server: tests call `app.request(...)` on it. */
export function createApp(context: AppContext) {
  const limits = context.limits ?? limitsFromEnv();
  const app = new Hono()
    .route('/api', apiRoutes(context, limits))
    .route('/open311/v2', open311Routes(context.database, limitOf('open311', limits, context.database)));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // under /open311 (a path the sub-app never saw: `..` folded away, a method it has no route for) GeoReport's own format
    if (path.startsWith('/open311')) return open311Error(c, 404, `nothing at ${path} for ${c.req.method}; start at /open311/v2/discovery.json`);
    return errorResponse(new ApiError('not_found', `nothing at ${path}; the API starts at /api`), c);
  });
  app.onError(errorResponse); // the one place errors are answered (Open311 keeps its spec's format: api/routes/open311.ts)
  return app;
}

/** Every route of the API with its inputs and answers: the web's typed client is `hc<AppType>`. */
export type AppType = ReturnType<typeof createApp>;
