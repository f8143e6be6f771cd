import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
import type { Limits } from '../../api/guard/limits.ts';
import { TileIndex } from '../../api/tiles/tile-index.ts';
import { openTestDatabase, type Mode } from './databases.ts';

export interface TestApp {
  database: Database;
  app: ReturnType<typeof createApp>;
  tiles: TileIndex;
  /** a request to the app, as the browser would send it */
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** The whole API on a fresh copy of the demo database, served without a socket. */
export async function openTestApp(mode: Mode, limits?: Limits): Promise<TestApp> {
  const database = await openTestDatabase(mode);
  const tiles = await TileIndex.build(database);
  const app = createApp({ database, tiles, limits }); // without limits: the suite's env lifts them (vite.config.ts)
  const base = 'http://localhost';
  return {
    database,
    app,
    tiles,
    get: async (path) => app.request(base + path),
    post: async (path, body) => app.request(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    close: async () => {
      await tiles.close();
      await database.close();
    },
  };
}
