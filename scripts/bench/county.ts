import { sql } from 'drizzle-orm';
import type { Database } from '../../api/db/client.ts';
import { placeAreaLabels } from '../../api/geo/labels.ts';
import { mulberry32 } from '../lib/random.ts';

/**
 * A synthetic county at the scale of the seeds' 大荔县 (≈12,400 grids): 16 streets × 16
 * communities × 49 grids (12,544), each grid split into 2 micro-grids. Every polygon is cut
 * from one jittered lattice of shared vertices, so the levels tile exactly, as real ones must.
 */
export async function makeCounty(database: Database, seed = 3) {
  const t0 = performance.now();
  const cols = 224; // micro-grid columns: 112 grids × 2
  const rows = 112;
  const cell = 0.0036; // degrees ≈ 330 m east-west, 400 m north-south
  const [lon0, lat0] = [109.74, 34.59]; // near 大荔县
  const next = mulberry32(seed);
  const round = (x: number) => Math.round(x * 1e7) / 1e7;
  const v: number[][][] = [];
  for (let i = 0; i <= cols; i++) {
    v.push([]);
    for (let j = 0; j <= rows; j++) {
      const edge = i === 0 || j === 0 || i === cols || j === rows;
      const jx = edge ? 0 : (next() - 0.5) * 0.4;
      const jy = edge ? 0 : (next() - 0.5) * 0.4;
      v[i].push([round(lon0 + (i / 2 + jx / 2) * cell), round(lat0 + (j + jy) * cell)]);
    }
  }
  /** counter-clockwise ring around the lattice block [c0, c1] × [r0, r1] */
  const ring = (c0: number, c1: number, r0: number, r1: number) => {
    const out: number[][] = [];
    for (let i = c0; i < c1; i++) out.push(v[i][r0]);
    for (let j = r0; j < r1; j++) out.push(v[c1][j]);
    for (let i = c1; i > c0; i--) out.push(v[i][r1]);
    for (let j = r1; j > r0; j--) out.push(v[c0][j]);
    out.push(out[0]);
    return JSON.stringify({ type: 'MultiPolygon', coordinates: [[out]] });
  };
  const areas: [string, string, string | null, string][] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let sx = 0; sx < 4; sx++) for (let sy = 0; sy < 4; sy++) {
    const street = `C${sx}${sy}`;
    areas.push([street, 'street', null, ring(sx * 56, sx * 56 + 56, sy * 28, sy * 28 + 28)]);
    for (let cx = 0; cx < 4; cx++) for (let cy = 0; cy < 4; cy++) {
      const community = `${street}-${cx}${cy}`;
      const c0 = sx * 56 + cx * 14;
      const r0 = sy * 28 + cy * 7;
      areas.push([community, 'community', street, ring(c0, c0 + 14, r0, r0 + 7)]);
      for (let gx = 0; gx < 7; gx++) for (let gy = 0; gy < 7; gy++) {
        const grid = `${community}-G${pad(gx * 7 + gy)}`;
        const g0 = c0 + gx * 2;
        const gr = r0 + gy;
        areas.push([grid, 'grid', community, ring(g0, g0 + 2, gr, gr + 1)]);
        areas.push([`${grid}-M1`, 'microgrid', grid, ring(g0, g0 + 1, gr, gr + 1)]);
        areas.push([`${grid}-M2`, 'microgrid', grid, ring(g0 + 1, g0 + 2, gr, gr + 1)]);
      }
    }
  }
  for (let i = 0; i < areas.length; i += 2000) {
    const values = areas.slice(i, i + 2000).map(([id, level, parent, g]) =>
      sql`(${id}, ${level}, ${id}, ${parent}, ST_SetSRID(ST_GeomFromGeoJSON(${g}), 4326))`);
    await database.rows(sql`INSERT INTO areas (id, level, name, parent_id, geom) VALUES ${sql.join(values, sql`, `)}`);
  }
  await placeAreaLabels(database.db); // as an import would, once
  await database.rows(sql`ANALYZE areas`);
  return {
    grids: areas.filter((a) => a[1] === 'grid').length,
    microgrids: areas.filter((a) => a[1] === 'microgrid').length,
    ms: performance.now() - t0,
  };
}
