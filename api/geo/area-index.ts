import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { BucketGrid } from './bucket-grid.ts';
import { assignedLevels, type AreaLevel } from '../contract/vocabulary.ts';
import { multiPolygonFromWkb } from './wkb.ts';
import { flatten, INSIDE, OUTSIDE, pointInMultiPolygon, type FlatRing } from './point-in-polygon.ts';

export const levels = assignedLevels;
export type Level = (typeof assignedLevels)[number];

export interface AreaAssignment {
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  microgridId: string | null;
}

interface Area {
  id: string;
  parent: number; // index into the parent level's array, -1 for a street
  polygons: FlatRing[][];
}

/**
 * The assignment rule of api/db/migrations/0002_assign_point.sql, in memory, for bulk work
 * (re-assigning every request after boundaries change). Per level: a bucket grid of area boxes;
 * each point walks down the levels and takes, among the children of the area chosen above it that
 * cover it, the smallest id — exactly as the SQL does.
 *
 * Bulk grid assignment takes a short cut: a point strictly inside one grid lies strictly inside
 * that grid's community and street too (children tile their parents — the import checks it), so
 * the walk is only needed for points on a boundary. The tests and the bench compare with SQL.
 */
export class AreaIndex {
  private buckets: BucketGrid[] = [];
  private areas: Area[][] = [];

  static async load(database: Database): Promise<AreaIndex> {
    // binary, not GeoJSON: every coordinate at full precision, as ST_Covers sees it (./wkb.ts)
    const rows = await database.rows<{ id: string; level: Level; parent_id: string | null; g: Uint8Array }>(sql`
      SELECT id, level, parent_id, ST_AsBinary(geom) AS g FROM areas`);
    return AreaIndex.from(rows.map((r) => ({ id: r.id, level: r.level, parentId: r.parent_id, geometry: multiPolygonFromWkb(r.g) })));
  }

  static from(rows: { id: string; level: Level; parentId: string | null; geometry: GeoJSON.MultiPolygon }[]): AreaIndex {
    const index = new AreaIndex();
    const position = new Map<string, number>();
    for (const [depth, level] of levels.entries()) {
      // sorted by id, so the first covering candidate in array order is the smallest id — byte
      // order, as the SQL's COLLATE "C": no locale decides which sibling owns a shared edge
      const mine = rows.filter((r) => r.level === level).sort((a, b) => compareBytes(a.id, b.id));
      const areas: Area[] = mine.map((r, i) => {
        position.set(`${depth}:${r.id}`, i);
        const parent = depth === 0 ? -1 : position.get(`${depth - 1}:${r.parentId}`) ?? -2; // -2: orphan, never chosen
        return { id: r.id, parent, polygons: flatten(r.geometry.coordinates) };
      });
      const boxes = new Float64Array(areas.length * 4);
      areas.forEach((area, i) => {
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const polygon of area.polygons) {
          const ring = polygon[0];
          for (let k = 0; k < ring.length; k += 2) {
            minX = Math.min(minX, ring[k]); maxX = Math.max(maxX, ring[k]);
            minY = Math.min(minY, ring[k + 1]); maxY = Math.max(maxY, ring[k + 1]);
          }
        }
        boxes.set([minX, minY, maxX, maxY], 4 * i);
      });
      index.buckets.push(new BucketGrid(boxes));
      index.areas.push(areas);
    }
    return index;
  }

  /** Positions (per level) of the chosen areas for one point; -1 where none covers it. */
  private walk(lon: number, lat: number, out: Int32Array): void {
    let parent = -1;
    for (let depth = 0; depth < levels.length; depth++) {
      const areas = this.areas[depth];
      let best = -1;
      if (depth === 0 || parent >= 0) {
        const grid = this.buckets[depth];
        const b = grid.bucket(lon, lat);
        for (let k = grid.start[b]; k < grid.start[b + 1]; k++) {
          const i = grid.items[k];
          const area = areas[i];
          if (area.parent !== parent || (best >= 0 && i > best) || !grid.inBox(i, lon, lat)) continue;
          if (pointInMultiPolygon(area.polygons, lon, lat) !== OUTSIDE) best = i;
        }
      }
      out[depth] = best;
      parent = best;
    }
  }

  assign(lon: number, lat: number): AreaAssignment {
    const out = new Int32Array(4);
    this.walk(lon, lat, out);
    const id = (d: number) => (out[d] >= 0 ? this.areas[d][out[d]].id : null);
    return { streetId: id(0), communityId: id(1), gridId: id(2), microgridId: id(3) };
  }

  /** Bulk: for points [lon0, lat0, lon1, lat1, …], the grid id of each (null outside). */
  assignGrids(points: Float64Array): (string | null)[] {
    const out = new Int32Array(4);
    const result: (string | null)[] = new Array(points.length / 2);
    const grids = this.areas[2];
    const bucketGrid = this.buckets[2];
    for (let p = 0; p < points.length; p += 2) {
      const lon = points[p];
      const lat = points[p + 1];
      // short cut: strictly inside exactly one grid whose ancestors exist → that grid
      let hit = -1;
      let unsure = false;
      const b = bucketGrid.bucket(lon, lat);
      for (let k = bucketGrid.start[b]; k < bucketGrid.start[b + 1]; k++) {
        const i = bucketGrid.items[k];
        if (!bucketGrid.inBox(i, lon, lat)) continue;
        const where = pointInMultiPolygon(grids[i].polygons, lon, lat);
        if (where === OUTSIDE) continue;
        if (where !== INSIDE || hit >= 0 || grids[i].parent < 0) { unsure = true; break; }
        hit = i;
      }
      if (!unsure && hit < 0) { result[p / 2] = null; continue; }
      if (!unsure) { result[p / 2] = grids[hit].id; continue; }
      this.walk(lon, lat, out);
      result[p / 2] = out[2] >= 0 ? grids[out[2]].id : null;
    }
    return result;
  }
}

/** Two ids in the order of their UTF-8 bytes, which is PostgreSQL's `COLLATE "C"` order. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
