import { sql, type SQL } from 'drizzle-orm';
import { heldStatuses, requestCategoryRules } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

/**
 * The deadline a request is working against now, on `requests r`: to be claimed while collected,
 * to be resolved while claimed, in deliberation or being resolved; none once closed.
 */
export const dueSql: SQL = sql`(CASE WHEN r.status = 'collected' THEN r.claim_deadline
  WHEN r.status IN ${sqlList(heldStatuses)} THEN r.resolve_deadline END)`;

/** Whole minutes until the deadline (negative when overdue), or NULL for closed requests. */
export const timeLeftSql = (now: SQL = sql`now()`): SQL => sql`floor(extract(epoch FROM (${dueSql} - ${now})) / 60)::int`;
export const overdueSql = (now: SQL = sql`now()`): SQL => sql`coalesce(${dueSql} < ${now}, false)`;

/** The category table as rows `d(category, claim_minutes, resolve_minutes)` for joins. */
export const deadlineRowsSql = (): SQL => sql`(VALUES ${sql.join(
  Object.entries(requestCategoryRules).map(([category, d]) => sql`(${category}::text, ${d.claimMinutes}::int, ${d.resolveMinutes}::int)`),
  sql`, `,
)}) AS d(category, claim_minutes, resolve_minutes)`;
