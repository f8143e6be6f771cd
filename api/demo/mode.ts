import { getTableName, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { dataChangedChannel, type Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';

// Whether this installation runs on the fictional demo street or on a street office's own data.
// `npm start` loads the demo into an empty database; DEMO_DATA=off starts empty; a database that
// holds data of its own, or whose demo was removed, never gets the demo again.

export const demoSettings = ['on', 'off', 'county'] as const;
export type DemoSetting = (typeof demoSettings)[number];

/** DEMO_DATA from the environment (default on), or a message that says what is allowed. */
export function demoSetting(value = process.env.DEMO_DATA): DemoSetting | { error: string } {
  const setting = (value ?? 'on').trim().toLowerCase() || 'on';
  if ((demoSettings as readonly string[]).includes(setting)) return setting as DemoSetting;
  return { error: `DEMO_DATA must be ${demoSettings.join(' or ')}, not "${value}": on loads the fictional 民生街道 into an empty database, county a fictional county (荔原县, ≈1,000,000 requests, generated at first start), off starts empty` };
}

export type DemoState = 'demo' | 'empty' | 'own data' | 'demo removed';

/** What the database holds: the demo, nothing yet, a street office's own data, or a removed demo. */
export async function demoState(database: Database): Promise<DemoState> {
  const [row] = await database.rows<{ demo: boolean; removed: boolean; data: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'demo') AS demo,
           EXISTS (SELECT 1 FROM meta WHERE key = 'demo_removed') AS removed,
           (EXISTS (SELECT 1 FROM areas) OR EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM staff)) AS data`);
  const yes = (v: unknown) => v === true || v === 't';
  if (yes(row.demo)) return 'demo';
  if (yes(row.removed)) return 'demo removed';
  return yes(row.data) ? 'own data' : 'empty';
}

/** Is the fictional demo what this server runs on (the 演示数据 banner of the staff pages)? */
export const isDemo = async (database: Database) => (await demoState(database)) === 'demo';

/** Every table of ours (not PostGIS's, not the migrations'), for removing the demo whole. */
const ourTables = (Object.values(schema) as unknown[]).filter((t) => t instanceof PgTable).map((t) => getTableName(t as PgTable));

/**
 * Turns a demo database to real use: every row of the demo — areas, places, people, accounts,
 * sessions, kiosk links, API keys, requests and their history — goes in one transaction, and the
 * database remembers that its demo was removed (no start loads it again). The next start prints
 * the setup link for the first administrator. Running servers are told to re-cut their tiles.
 */
export async function removeDemo(database: Database): Promise<{ tables: number }> {
  if ((await demoState(database)) !== 'demo') throw new Error('this database holds no demo data: nothing to remove');
  const kept = new Set(['meta']);
  await database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`TRUNCATE ${ourTables.filter((t) => !kept.has(t)).map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`));
    await tx.execute(sql`DELETE FROM meta WHERE key IN ('demo', 'setup_token')`);
    await tx.execute(sql`INSERT INTO meta (key, value) VALUES ('demo_removed', ${JSON.stringify({ at: new Date().toISOString() })}::jsonb)`);
    await tx.execute(sql`INSERT INTO admin_events (actor, action, note) VALUES ('cli', 'demo_removed', ${`${ourTables.length - kept.size} tables emptied`})`);
  });
  await database.rows(sql`SELECT pg_notify(${dataChangedChannel}, 'demo removed')`);
  return { tables: ourTables.length - kept.size };
}
