import { sql, type SQL } from 'drizzle-orm';

/**
 * Rows of `alias` inside an area: the one rule of "rows of an area" for the tables that carry the
 * areas a row lies in (street_id, community_id, grid_id, microgrid_id) — the care ledger, the
 * visits, the lists, the monthly work sheet. No area (the installation's administrator, a report
 * of everything): every row. A district: its streets' rows (these tables carry no usable district
 * column: a district imported later does not rewrite them). A micro-grid: its own rows, or with
 * `microgrid: 'grid'` the rows of the grid around it (tables without a micro-grid column).
 */
export function rowsInAreaSql(alias: string, area: { level: string | null; id: string | null }, microgrid: 'own' | 'grid' = 'own'): SQL {
  const column = (level: string) => sql.raw(`${alias}.${level}_id`);
  if (!area.level || !area.id) return sql`TRUE`;
  if (area.level === 'district') return sql`${column('street')} IN (SELECT id FROM areas WHERE parent_id = ${area.id})`;
  if (area.level === 'microgrid' && microgrid === 'grid') return sql`${column('grid')} = (SELECT parent_id FROM areas WHERE id = ${area.id})`;
  return sql`${column(area.level)} = ${area.id}`;
}
