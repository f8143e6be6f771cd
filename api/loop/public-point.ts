import { sql, type SQL } from 'drizzle-orm';

// Where the public sees a request (api/loop/privacy.ts says why); apart, so the column list can use it.

/** The public location's grid: 0.001° ≈ 111 m north–south, ≈ 91 m east–west at 35° N. */
export const publicPrecisionDegrees = 0.001;

/** `r.geom` snapped to the public grid (PostGIS ST_SnapToGrid: one rounding rule for SQL and answers). */
export const publicPointSql: SQL = sql.raw(`ST_SnapToGrid(r.geom, ${publicPrecisionDegrees})`);
