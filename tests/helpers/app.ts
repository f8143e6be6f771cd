import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
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
export async function openTestApp(mode: Mode): Promise<TestApp> {
  const database = await openTestDatabase(mode);
  const tiles = await TileIndex.build(database);
  const app = createApp({ database, tiles });
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
    close: () => database.close(),
  };
}
