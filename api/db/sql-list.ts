import { sql, type SQL } from 'drizzle-orm';

/** `(v1, v2, …)` as bound parameters, for `x IN ${sqlList(openStatuses)}`: a vocabulary list, written once. */
export const sqlList = (values: readonly (string | number)[]): SQL => sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
