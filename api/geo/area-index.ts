import Flatbush from 'flatbush';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { flatten, OUTSIDE, pointInMultiPolygon, type FlatRing } from './point-in-polygon.ts';

export const levels = ['street', 'community', 'grid', 'microgrid'] as const;
export type Level = (typeof levels)[number];

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
 * (re-assigning every request after boundaries change). Per level: a packed Hilbert R-tree of
 * area boxes; each point walks down the levels and takes, among the children of the area chosen
 * above it that cover it, the smallest id — exactly as the SQL does.
 */
export class AreaIndex {
  private trees: Flatbush[] = [];
  private areas: Area[][] = [];

  static async load(database: Database): Promise<AreaIndex> {
    const rows = await database.rows<{ id: string; level: Level; parent_id: string | null; g: string }>(sql`
      SELECT id, level, parent_id, ST_AsGeoJSON(geom) AS g FROM areas ORDER BY id`);
    return AreaIndex.from(rows.map((r) => ({ id: r.id, level: r.level, parentId: r.parent_id, geometry: JSON.parse(r.g) })));
  }

  static from(rows: { id: string; level: Level; parentId: string | null; geometry: GeoJSON.MultiPolygon }[]): AreaIndex {
    const index = new AreaIndex();
    const position = new Map<string, number>();
    for (const [depth, level] of levels.entries()) {
      // sorted by id, so the first covering candidate in array order is the smallest id
      const mine = rows.filter((r) => r.level === level).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const areas: Area[] = mine.map((r, i) => {
        position.set(`${depth}:${r.id}`, i);
        const parent = depth === 0 ? -1 : position.get(`${depth - 1}:${r.parentId}`) ?? -2; // -2: orphan, never chosen
        return { id: r.id, parent, polygons: flatten(r.geometry.coordinates) };
      });
      const tree = new Flatbush(Math.max(areas.length, 1));
      for (const area of areas) {
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const ring of area.polygons.map((p) => p[0])) {
          for (let i = 0; i < ring.length; i += 2) {
            minX = Math.min(minX, ring[i]); maxX = Math.max(maxX, ring[i]);
            minY = Math.min(minY, ring[i + 1]); maxY = Math.max(maxY, ring[i + 1]);
          }
        }
        tree.add(minX, minY, maxX, maxY);
      }
      if (!areas.length) tree.add(0, 0, 0, 0); // Flatbush wants at least one item
      tree.finish();
      index.trees.push(tree);
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
        const hits = this.trees[depth].search(lon, lat, lon, lat);
        for (const i of hits) {
          const area = areas[i];
          if (!area || area.parent !== parent || (best >= 0 && i > best)) continue;
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
    for (let i = 0; i < points.length; i += 2) {
      this.walk(points[i], points[i + 1], out);
      result[i / 2] = out[2] >= 0 ? this.areas[2][out[2]].id : null;
    }
    return result;
  }
}
