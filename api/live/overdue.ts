import { sql } from 'drizzle-orm';
import { overdueSql as loopOverdueSql } from '../loop/deadlines.ts';
import { openStatuses } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

/**
 * Is request `r` overdue now? The loop's own rule (api/loop/deadlines.ts: past the deadline of
 * the step it waits on), so the wall screen, the live stream, the statistics and the worker's
 * queue never disagree on the number.
 */
export const overdueSql = loopOverdueSql();

/** Requests still being worked on (the first four of the six steps). */
export const openSql = sql`(r.status IN ${sqlList(openStatuses)})`;

/** The start of today in the community's own time zone, as a timestamptz. */
export const todayStartSql = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
