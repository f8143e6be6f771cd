import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { RatesArea } from './rates.ts';
import { rowsInAreaSql } from '../auth/rows-in-area.ts';

// The monthly report's second half (issue 11 §4: "figures, trends and the lists above"): the
// 三项清单, the care ledgers and the field visits of the report's area and month, as counts and
// staff's own words only — titles, outcomes, colours. Nothing sealed is read (residents' words,
// households, findings), so the workbook carries no more than the staff pages show their keepers.

export type WorkReport = {
  needs: { grid: string; kind: string; title: string; households: number; status: string; projects: string }[];
  projects: { title: string; status: string; startsOn: string | null; endsOn: string | null; participants: number | null; outcome: string | null; progress: string | null }[];
  wishes: { status: string; n: number }[];
  care: { scheme: string; colour: string; households: number; visited: number }[];
  visits: { visits: number; households: number; buildings: number; patrols: number; zeroDays: number; findingsFiled: number };
};

/** Rows of `alias` (with street_id, community_id, grid_id) inside the report's area. */
const within = (alias: string, area: RatesArea): SQL => rowsInAreaSql(alias, area, 'grid');

/** The month's work of an area: lists as they stand, care households by colour, visits in the month. */
export async function loadWorkReport(database: Database, area: RatesArea, period: { from: string; to: string }): Promise<WorkReport> {
  const start = sql`(${period.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  const end = sql`((${period.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  const inMonth = (column: SQL) => sql`${column} >= ${start} AND ${column} < ${end}`;
  const needs = await database.rows<WorkReport['needs'][number]>(sql`
    SELECT g.name AS grid, n.kind, n.title, n.households, n.status,
      coalesce((SELECT string_agg(p.title, '、' ORDER BY p.id) FROM list_project_needs pn JOIN list_projects p ON p.id = pn.project_id WHERE pn.need_id = n.id), '') AS projects
    FROM list_needs n JOIN areas g ON g.id = n.grid_id WHERE ${within('n', area)} ORDER BY g.id, n.kind, n.id`);
  const projects = await database.rows<WorkReport['projects'][number]>(sql`
    SELECT p.title, p.status, p.starts_on AS "startsOn", p.ends_on AS "endsOn", p.participants, p.outcome,
      (SELECT string_agg(pr.note, '；' ORDER BY pr.id) FROM list_project_progress pr WHERE pr.project_id = p.id AND pr.month = ${period.from.slice(0, 7)}) AS progress
    FROM list_projects p WHERE ${area.level === 'grid' || area.level === 'microgrid' ? sql`FALSE` : within('p', area)} ORDER BY p.id`);
  const wishes = await database.rows<{ status: string; n: number }>(sql`
    SELECT w.status, count(*)::int AS n FROM list_wishes w WHERE ${within('w', area)} GROUP BY 1 ORDER BY 1`);
  const care = await database.rows<WorkReport['care'][number]>(sql`
    SELECT h.scheme, h.colour, count(*)::int AS households,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM care_visits v WHERE v.household_id = h.id AND ${inMonth(sql`v.at`)}))::int AS visited
    FROM care_households h WHERE ${within('h', area)} GROUP BY 1, 2 ORDER BY 1, 2`);
  const [visits] = await database.rows<WorkReport['visits']>(sql`
    SELECT count(*)::int AS visits, count(DISTINCT v.household_id)::int AS households, count(DISTINCT v.building_id)::int AS buildings,
      count(v.request_id)::int AS "findingsFiled",
      (SELECT count(*)::int FROM patrols p WHERE ${within('p', area)} AND ${inMonth(sql`p.started_at`)}) AS patrols,
      (SELECT count(*)::int FROM zero_reports z WHERE ${within('z', area)} AND ${inMonth(sql`z.at`)}) AS "zeroDays"
    FROM care_visits v WHERE ${within('v', area)} AND ${inMonth(sql`v.at`)}`);
  return { needs, projects, wishes, care, visits };
}
