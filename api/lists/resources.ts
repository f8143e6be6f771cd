import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin } from '../auth/session.ts';
import { ApiError, forbidden } from '../errors.ts';
import type { ResourceKind } from '../contract/vocabulary.ts';
import type { ResourceEdit, ResourceInput, ResourceRow } from '../contract/lists.ts';
import { parsed } from './needs.ts';
import { auditSql, fieldsOf, listManager, sharedPlace, sharedScopeSql, type Keeper } from './scope.ts';

// 资源共享清单 (docs/lists.md): the units, organisations, "1+N" venues, volunteer teams and partners a
// community can call on, what each offers, whom to call and when; at its service point on the map.
// Each shows the projects that use it.

type Row = {
  id: number; street_id: string | null; community_id: string | null; community_name: string | null; name: string; kind: ResourceKind; offers: string;
  contact_name: string | null; contact_phone: string | null; availability: string | null; poi_id: string | null; poi_name: string | null;
  lon: number | null; lat: number | null; projects: unknown;
};

const rowsSql = (where: SQL) => sql`
  SELECT x.id, x.street_id, x.community_id, c.name AS community_name, x.name, x.kind, x.offers, x.contact_name, x.contact_phone,
    x.availability, x.poi_id, p.name AS poi_name, ST_X(x.geom) AS lon, ST_Y(x.geom) AS lat,
    coalesce((SELECT json_agg(json_build_object('id', j.id, 'title', j.title, 'status', j.status) ORDER BY j.id)
      FROM list_project_resources pr JOIN list_projects j ON j.id = pr.project_id WHERE pr.resource_id = x.id), '[]'::json) AS projects
  FROM list_resources x LEFT JOIN areas c ON c.id = x.community_id LEFT JOIN pois p ON p.id = x.poi_id
  WHERE ${where}
  ORDER BY x.community_id NULLS FIRST, x.kind, x.id`;

const toRow = (r: Row): ResourceRow => ({
  id: Number(r.id), communityId: r.community_id, communityName: r.community_name, name: r.name, kind: r.kind, offers: r.offers,
  contactName: r.contact_name, contactPhone: r.contact_phone, availability: r.availability, poiId: r.poi_id, poiName: r.poi_name,
  lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat), projects: parsed(r.projects),
});

export async function listResources(database: Database, k: Keeper): Promise<{ resources: ResourceRow[] }> {
  return { resources: (await database.rows<Row>(rowsSql(sharedScopeSql(k)))).map(toRow) };
}

/** A resource the manager may change: in their community (a secretary) or street, else 403; 404 when there is none. */
async function managedResource(database: Database, k: Keeper, id: number) {
  const [row] = await database.rows<{ street_id: string | null; community_id: string | null }>(sql`SELECT street_id, community_id FROM list_resources WHERE id = ${id}`);
  if (!row) throw new ApiError('resource_not_found', `no resource ${id}`, { id });
  if (!installationAdmin(k) && !(k.areaLevel === 'street' ? row.street_id === k.street : row.community_id === k.community)) throw forbidden(`resource ${id}`);
  return row;
}

/** A service point's point, or 404 naming the field. */
async function poiPoint(database: Database, poiId: string) {
  const [poi] = await database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM pois WHERE id = ${poiId}`);
  if (!poi) throw new ApiError('not_found', `no service point ${poiId.slice(0, 40)}`, { field: 'poiId' });
  return sql`ST_SetSRID(ST_MakePoint(${Number(poi.lon)}, ${Number(poi.lat)}), 4326)`;
}

export async function createResource(database: Database, k: Keeper, input: ResourceInput): Promise<number> {
  listManager(k);
  const place = await sharedPlace(database, k, input.communityId);
  const geom = input.poiId ? await poiPoint(database, input.poiId) : sql`NULL`;
  const [row] = await database.rows<{ id: number }>(sql`
    WITH r AS (
      INSERT INTO list_resources (street_id, community_id, name, kind, offers, contact_name, contact_phone, availability, poi_id, geom)
      VALUES (${place.street}, ${place.community}, ${input.name}, ${input.kind}, ${input.offers}, ${input.contactName ?? null},
        ${input.contactPhone ?? null}, ${input.availability ?? null}, ${input.poiId ?? null}, ${geom})
      RETURNING id),
    e AS (${auditSql(k, 'resource_created', sql`(SELECT 'resource:' || id FROM r)`, input.kind)})
    SELECT id FROM r`);
  return Number(row.id);
}

export async function editResource(database: Database, k: Keeper, id: number, input: ResourceEdit): Promise<void> {
  listManager(k);
  await managedResource(database, k, id);
  const sets: SQL[] = [sql`updated_at = now()`];
  if (input.name !== undefined) sets.push(sql`name = ${input.name}`);
  if (input.kind !== undefined) sets.push(sql`kind = ${input.kind}`);
  if (input.offers !== undefined) sets.push(sql`offers = ${input.offers}`);
  if (input.contactName !== undefined) sets.push(sql`contact_name = ${input.contactName || null}`);
  if (input.contactPhone !== undefined) sets.push(sql`contact_phone = ${input.contactPhone || null}`);
  if (input.availability !== undefined) sets.push(sql`availability = ${input.availability || null}`);
  if (input.poiId !== undefined) {
    sets.push(input.poiId ? sql`poi_id = ${input.poiId}, geom = ${await poiPoint(database, input.poiId)}` : sql`poi_id = NULL, geom = NULL`);
  }
  await database.rows(sql`
    WITH r AS (UPDATE list_resources SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING id)
    ${auditSql(k, 'resource_updated', sql`(SELECT 'resource:' || id FROM r)`, fieldsOf(input))}`);
}
