import { sql, type SQL } from 'drizzle-orm';

/** `(v1, v2, …)` as bound parameters, for `x IN ${sqlList(openStatuses)}`: a vocabulary list, written once. */
export const sqlList = (values: readonly (string | number)[]): SQL => sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;

/**
 * `('v1', 'v2', …)` written into the statement, for a vocabulary list in a statement whose plan is
 * kept (Database.keptRows): a generic plan cannot prove a partial index's `status IN (…)` from
 * parameters, only from constants. Words of the vocabulary only, never input.
 */
export const sqlLiterals = (values: readonly string[]): SQL => {
  const bad = values.find((v) => !/^[a-z][a-z0-9_]*$/.test(v));
  if (bad !== undefined) throw new Error(`sqlLiterals takes vocabulary words, not ${JSON.stringify(bad)}`);
  return sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);
};
