import { sql, type SQL } from 'drizzle-orm';
import { openStatuses } from '../contract/vocabulary.ts';

/**
 * `status IN ('collected', …)` with the open statuses written as literals, not parameters: the
 * partial indexes on open requests (api/db/schema.ts) are used only when the planner can see that
 * a query's predicate is theirs, and a bound parameter hides it in a generic plan.
 */
export const openStatusSql = (column = 'r.status'): SQL =>
  sql.raw(`(${column} IN (${openStatuses.map((s) => `'${s}'`).join(', ')}))`);
