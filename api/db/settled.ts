import { sql, type SQL } from 'drizzle-orm';

/**
 * A request whose part in every rate is fixed whatever the time (request_settled, migration
 * rates_rollup): refused, or resolved after being claimed. Its counts live in `rate_months`; the
 * other requests are counted live. Written out the same way in the partial indexes and the
 * queries, so the planner sees that a query's predicate is the indexes'.
 */
export const settledSql = (r = 'r'): SQL => sql.raw(`request_settled(${r}.status, ${r}.claimed_at)`);
export const unsettledSql: SQL = sql.raw('NOT request_settled(status, claimed_at)');
