import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.ts';

/**
 * Runs `load` with the secondary indexes and foreign keys of `tables` dropped, then builds them
 * again — all inside the caller's transaction, so a failure leaves every index and key as it was.
 *
 * Why: a million rows inserted one index entry at a time (ten indexes, two of them GiST) and one
 * foreign-key check per row and key cost several times what a sorted index build and one join
 * per key cost afterwards; the county demo's first start (issue 12 §1) is mostly this. Primary
 * keys and unique constraints go too unless a foreign key of another table leans on them (5.6
 * million events' ids, one entry at a time, cost a third of writing them). Re-adding a key or a
 * constraint checks every row, so nothing unchecked is left behind.
 */
export async function withIndexesDeferred<T>(db: Db, tables: readonly string[], load: () => Promise<T>, progress: (done: string) => void = () => {}): Promise<T> {
  const names = sql.join(tables.map((t) => sql`${t}`), sql`, `);
  const indexes = rowsOf<{ name: string; definition: string }>(await db.execute(sql`
    SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename IN (${names})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = to_regnamespace(current_schema()))
    ORDER BY i.indexname`));
  const keys = rowsOf<{ name: string; table: string; definition: string }>(await db.execute(sql`
    SELECT c.conname AS name, r.relname AS table, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
    WHERE c.contype = 'f' AND r.relname IN (${names}) AND r.relnamespace = to_regnamespace(current_schema())
    ORDER BY c.conname`));
  // primary keys and unique constraints no foreign key outside `tables` refers to (those inside are dropped above)
  const uniques = rowsOf<{ name: string; table: string; definition: string }>(await db.execute(sql`
    SELECT c.conname AS name, r.relname AS table, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
    WHERE c.contype IN ('p', 'u') AND r.relname IN (${names}) AND r.relnamespace = to_regnamespace(current_schema())
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f JOIN pg_class fr ON fr.oid = f.conrelid
        WHERE f.contype = 'f' AND f.conindid = c.conindid AND NOT (fr.relname IN (${names}) AND fr.relnamespace = r.relnamespace))
    ORDER BY c.conname`));
  for (const k of keys) await db.execute(sql`ALTER TABLE ${sql.identifier(k.table)} DROP CONSTRAINT ${sql.identifier(k.name)}`);
  for (const u of uniques) await db.execute(sql`ALTER TABLE ${sql.identifier(u.table)} DROP CONSTRAINT ${sql.identifier(u.name)}`);
  for (const i of indexes) await db.execute(sql`DROP INDEX ${sql.identifier(i.name)}`);
  const result = await load();
  for (const u of uniques) {
    await db.execute(sql.raw(`ALTER TABLE "${u.table}" ADD CONSTRAINT "${u.name}" ${u.definition}`));
    progress(`key ${u.name}`);
  }
  for (const i of indexes) {
    await db.execute(sql.raw(i.definition));
    progress(`index ${i.name}`);
  }
  for (const k of keys) {
    await db.execute(sql.raw(`ALTER TABLE "${k.table}" ADD CONSTRAINT "${k.name}" ${k.definition}`));
    progress(`key ${k.name}`);
  }
  return result;
}

/**
 * Gives `tables` new, empty storage in the caller's transaction (TRUNCATE), with every table whose
 * foreign keys lead to them; refuses if any of these holds a row. Why: on wal_level=minimal
 * (embedded PGlite, ./client.ts) the rows written afterwards in the same transaction skip the WAL
 * and their files are synced once at commit — a million requests and their events are written
 * once, not twice (WAL, then the table). Elsewhere it changes nothing.
 */
export async function freshStorage(db: Db, tables: readonly string[]): Promise<void> {
  const names = sql.join(tables.map((t) => sql`${t}`), sql`, `);
  const all = rowsOf<{ name: string }>(await db.execute(sql`
    WITH RECURSIVE t(oid) AS (
      SELECT r.oid FROM pg_class r WHERE r.relname IN (${names}) AND r.relnamespace = to_regnamespace(current_schema())
      UNION SELECT c.conrelid FROM pg_constraint c JOIN t ON c.confrelid = t.oid WHERE c.contype = 'f')
    SELECT r.relname AS name FROM pg_class r JOIN t ON t.oid = r.oid ORDER BY r.relname`)).map((r) => r.name);
  const [held] = rowsOf<{ name: string | null }>(await db.execute(sql.raw(
    `SELECT coalesce(${all.map((t) => `(SELECT '${t}' FROM "${t}" LIMIT 1)`).join(', ')}) AS name`)));
  if (held?.name) throw new Error(`a bulk load needs ${held.name} empty, and it holds rows`);
  await db.execute(sql.raw(`TRUNCATE ${all.map((t) => `"${t}"`).join(', ')}`));
}
