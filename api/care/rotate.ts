import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../db/client.ts';
import { defaultKeyFile, deriveKeys, nameIndex, readMasterKey, seal, unseal, type CareKeys } from './seal.ts';

// Care key rotation (docs/care.md, `npm run care -- rotate-key`): every sealed value of the
// database is opened under the current key and sealed again under a new one, in ONE transaction
// with the tables locked, or not at all. If the current key cannot open every value (a row sealed
// under another key), nothing is written and the key stays.

/** Every sealed column (and the field name bound into it): the care ledger's, the visits', the lists'. */
export const sealedColumns = {
  care_households: { name_sealed: 'name', id_number_sealed: 'id_number', phone_sealed: 'phone', room_sealed: 'room', notes_sealed: 'notes' },
  care_visits: { finding_sealed: 'finding' },
  list_needs: { detail_sealed: 'need_detail', household_sealed: 'need_household' },
  list_wishes: { wish_sealed: 'wish', household_sealed: 'wish_household', claimant_phone_sealed: 'wish_claimant_phone' },
} as const satisfies Record<string, Record<string, string>>;

export class RotationRefused extends Error {
  constructor(readonly unreadable: { table: string; column: string; rows: number }[]) {
    super(`the current key cannot open ${unreadable.map((u) => `${u.rows} value(s) of ${u.table}.${u.column}`).join(', ')}: nothing was changed`);
  }
}

const batch = 500;

/** Re-seals every sealed value from `from` to `to` in one transaction; the name index follows the new key. Answers the rows per table. */
export async function resealAll(database: Database, from: CareKeys, to: CareKeys): Promise<Record<string, number>> {
  return database.db.transaction(async (tx) => {
    const tables = Object.keys(sealedColumns);
    // no writer may seal a value under the old key while this runs (a server still running would: stop it first)
    await tx.execute(sql.raw(`LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`));
    const unreadable: RotationRefused['unreadable'] = [];
    const updates: { table: string; rows: { id: number; values: Record<string, string | null> }[] }[] = [];
    for (const [table, columns] of Object.entries(sealedColumns) as [string, Record<string, string>][]) {
      const names = Object.keys(columns);
      const rows = rowsOf<Record<string, string | null> & { id: number }>(await tx.execute(sql.raw(`SELECT id, ${names.join(', ')} FROM ${table} ORDER BY id`)));
      const bad: Record<string, number> = {};
      const resealed = rows.map((row) => {
        const values: Record<string, string | null> = {};
        for (const column of names) {
          const sealed = row[column];
          if (sealed === null) { values[column] = null; continue; }
          const plain = unseal(sealed, columns[column], from);
          if (plain === null) { bad[column] = (bad[column] ?? 0) + 1; continue; }
          values[column] = seal(plain, columns[column], to);
          if (table === 'care_households' && column === 'name_sealed') values.name_index = nameIndex(plain, to);
        }
        return { id: Number(row.id), values };
      });
      for (const [column, n] of Object.entries(bad)) unreadable.push({ table, column, rows: n });
      updates.push({ table, rows: resealed });
    }
    if (unreadable.length) throw new RotationRefused(unreadable);
    const counts: Record<string, number> = {};
    for (const { table, rows } of updates) {
      counts[table] = rows.length;
      for (let i = 0; i < rows.length; i += batch) {
        const part = rows.slice(i, i + batch);
        const columns = Object.keys(part[0].values);
        const values = sql.join(part.map((r) => sql`(${r.id}::int, ${sql.join(columns.map((c) => sql`${r.values[c]}::text`), sql`, `)})`), sql`, `);
        await tx.execute(sql`
          UPDATE ${sql.raw(table)} t SET ${sql.raw(columns.map((c) => `${c} = v.${c}`).join(', '))}
          FROM (VALUES ${values}) AS v(id, ${sql.raw(columns.join(', '))}) WHERE t.id = v.id`);
      }
    }
    return counts;
  });
}

export type Rotation = { tables: Record<string, number>; keyFile: string | null; backup: string | null };

/**
 * Rotates the master key: with a key file (CARE_KEY_FILE or the default), a new key is written
 * beside it, the old file copied to `<file>.before-<time>` (kept: backups of the database taken
 * before now need it), the database re-sealed, and only then the new key put in the file's place.
 * With CARE_KEY, the new key is CARE_NEW_KEY (the operator sets CARE_KEY to it afterwards).
 * On refusal or error the key file is as it was and nothing in the database changed.
 */
export async function rotateKey(database: Database, env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<Rotation> {
  if (env.CARE_KEY) {
    if (!env.CARE_NEW_KEY) throw new Error('CARE_KEY is set: give the new key as CARE_NEW_KEY (openssl rand -hex 32), then set CARE_KEY to it');
    const from = deriveKeys(readMasterKey(env.CARE_KEY, 'CARE_KEY'), 'CARE_KEY');
    const to = deriveKeys(readMasterKey(env.CARE_NEW_KEY, 'CARE_NEW_KEY'), 'CARE_NEW_KEY');
    return { tables: await resealAll(database, from, to), keyFile: null, backup: null };
  }
  const file = env.CARE_KEY_FILE ? resolve(env.CARE_KEY_FILE) : defaultKeyFile(env.DATA_DIR);
  if (!existsSync(file)) throw new Error(`no key file ${file}: nothing is sealed under a key this command can find`);
  const from = deriveKeys(readMasterKey(readFileSync(file, 'utf8'), file), file);
  const fresh = randomBytes(32);
  const next = `${file}.next`;
  const backup = `${file}.before-${now.toISOString().replace(/[:.]/g, '-')}`;
  writeFileSync(next, `${fresh.toString('hex')}\n`, { mode: 0o600 });
  copyFileSync(file, backup);
  try {
    const tables = await resealAll(database, from, deriveKeys(fresh, file));
    renameSync(next, file); // atomic: the file holds the old key or the new, never half of one
    return { tables, keyFile: file, backup };
  } catch (error) {
    rmSync(next, { force: true });
    rmSync(backup, { force: true });
    throw error;
  }
}
