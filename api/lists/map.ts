import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { ListsMap } from '../contract/lists.ts';
import type { NeedKind, NeedStatus, ResourceKind } from '../contract/vocabulary.ts';
import { gridScopeSql, sharedScopeSql, yes, type Keeper } from './scope.ts';

// The lists on the map (docs/lists.md): each need at its building or its grid's label point, sized
// by the households asking; each resource at its service point. Staff in scope only, and even so
// without a resident's words or who asks — the map is looked at over shoulders.

export async function listsMap(database: Database, k: Keeper): Promise<ListsMap> {
  const needs = await database.rows<{ id: number; kind: NeedKind; title: string; households: number; status: NeedStatus; answered: boolean; lon: number; lat: number }>(sql`
    SELECT x.id, x.kind, x.title, x.households, x.status, EXISTS (SELECT 1 FROM list_project_needs pn WHERE pn.need_id = x.id) AS answered,
      ST_X(x.geom) AS lon, ST_Y(x.geom) AS lat
    FROM list_needs x WHERE ${gridScopeSql(k)} ORDER BY x.id`);
  const resources = await database.rows<{ id: number; kind: ResourceKind; title: string; projects: number; lon: number; lat: number }>(sql`
    SELECT x.id, x.kind, x.name AS title, (SELECT count(*)::int FROM list_project_resources pr WHERE pr.resource_id = x.id) AS projects,
      ST_X(x.geom) AS lon, ST_Y(x.geom) AS lat
    FROM list_resources x WHERE x.geom IS NOT NULL AND ${sharedScopeSql(k)} ORDER BY x.id`);
  const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [Number(lon), Number(lat)] as [number, number] });
  return {
    type: 'FeatureCollection',
    features: [
      ...needs.map((n) => ({
        type: 'Feature' as const, geometry: at(n.lon, n.lat),
        properties: { layer: 'need' as const, id: Number(n.id), kind: n.kind, title: n.title, households: Number(n.households), status: n.status, answered: yes(n.answered) },
      })),
      ...resources.map((r) => ({
        type: 'Feature' as const, geometry: at(r.lon, r.lat),
        properties: { layer: 'resource' as const, id: Number(r.id), kind: r.kind, title: r.title, projects: Number(r.projects) },
      })),
    ],
  };
}
