import { sql, type SQL } from 'drizzle-orm';
import type { Bbox } from '../geo/bbox.ts';

// Where the public sees a request (api/loop/privacy.ts says why); apart, so the column list can use it.

/** The public location's grid: 0.001° ≈ 111 m north–south, ≈ 91 m east–west at 35° N. */
export const publicPrecisionDegrees = 0.001;

/** `r.geom` snapped to the public grid (PostGIS ST_SnapToGrid: one rounding rule for SQL and answers). */
export const publicPointSql: SQL = sql.raw(`ST_SnapToGrid(r.geom, ${publicPrecisionDegrees})`);

/** The request's public point in the box (null: anywhere): `&&` on the exact point first (the GiST index), widened by the snap. */
export function inPublicBox(bbox: Bbox | null): SQL {
  if (!bbox) return sql`TRUE`;
  const [w, s, e, n] = bbox;
  const h = publicPrecisionDegrees / 2;
  return sql`r.geom && ST_MakeEnvelope(${w - h}, ${s - h}, ${e + h}, ${n + h}, 4326)
    AND ${publicPointSql} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;
}
