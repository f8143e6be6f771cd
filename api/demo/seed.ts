import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Database, Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { colourSiblings } from '../geo/colour.ts';
import { placeAreaLabels } from '../geo/labels.ts';
import { seedDemoAccess, seedLoopHistory } from './history.ts';
import { seedDemoCare } from '../care/demo.ts';
import { seedDemoVisits } from '../visits/demo.ts';
import { seedDemoLists } from '../lists/demo.ts';

export const demoDir = fileURLToPath(new URL('../../data/demo', import.meta.url));
const files = ['areas', 'compounds', 'gates', 'buildings', 'entrances', 'roads', 'landuse', 'pois', 'staff', 'requests'] as const;
type Layer = (typeof files)[number];

/**
 * Loads data/demo once into an empty database, in one transaction: a crash half-way leaves
 * nothing behind, and the next start tries again. Returns false when the data was already there.
 */
export async function loadDemoData(database: Database, dir = demoDir): Promise<boolean> {
  const loaded = await database.db.select().from(t.meta).where(eq(t.meta.key, 'demo'));
  if (loaded.length) return false;

  const layers = {} as Record<Layer, Feature[]>;
  const hash = createHash('sha256');
  for (const name of files) {
    const text = await readFile(join(dir, `${name}.geojson`), 'utf8');
    hash.update(text);
    layers[name] = (JSON.parse(text) as FeatureCollection).features;
  }

  await database.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const p = (f: Feature) => f.properties as Record<string, any>;
    // parents before children: the foreign key on parent_id is checked row by row
    const depth = { street: 0, community: 1, grid: 2, microgrid: 3 } as Record<string, number>;
    const areas = [...layers.areas].sort((a, b) => depth[p(a).level] - depth[p(b).level]);
    await insertAll(db, t.areas, areas.map((f) => ({
      id: p(f).id, level: p(f).level, kind: p(f).kind ?? 'regular', name: p(f).name,
      parentId: p(f).parentId ?? null, geom: multi(f.geometry),
    })));
    await insertAll(db, t.compounds, layers.compounds.map((f) => ({
      id: p(f).id, name: p(f).name, address: p(f).address ?? null, microgridId: p(f).microgridId ?? null, geom: multi(f.geometry),
    })));
    await insertAll(db, t.gates, layers.gates.map((f) => ({
      id: p(f).id, compoundId: p(f).compoundId, name: p(f).name, main: !!p(f).main, geom: f.geometry as GeoJSON.Point,
    })));
    await insertAll(db, t.buildings, layers.buildings.map((f) => ({
      id: p(f).id, compoundId: p(f).compoundId ?? null, number: p(f).number ?? null, name: p(f).name ?? null,
      floors: p(f).floors ?? null, units: p(f).units ?? null, use: p(f).use ?? 'residential', geom: multi(f.geometry),
    })));
    await insertAll(db, t.entrances, layers.entrances.map((f) => ({
      id: p(f).id, buildingId: p(f).buildingId, unit: p(f).unit, name: p(f).name, geom: f.geometry as GeoJSON.Point,
    })));
    await insertAll(db, t.roads, layers.roads.map((f) => ({
      id: p(f).id, name: p(f).name ?? null, class: p(f).class, geom: f.geometry as GeoJSON.LineString,
    })));
    await insertAll(db, t.landuse, layers.landuse.map((f) => ({
      id: p(f).id, class: p(f).class, name: p(f).name ?? null, geom: multi(f.geometry),
    })));
    await insertAll(db, t.pois, layers.pois.map((f) => ({
      id: p(f).id, category: p(f).category, name: p(f).name, address: p(f).address ?? null, phone: p(f).phone ?? null,
      openingHours: p(f).openingHours ?? null, activities: p(f).activities ?? [], geom: f.geometry as GeoJSON.Point,
    })));
    await insertAll(db, t.staff, layers.staff.map((f) => ({
      id: p(f).id, name: p(f).name, role: p(f).role, phone: p(f).phone ?? null, phonePublic: !!p(f).phonePublic,
      areaId: p(f).areaId ?? null, geom: (f.geometry as GeoJSON.Point | null) ?? null,
    })));
    const shift = demoShiftDays(layers.requests.map((f) => Date.parse(p(f).createdAt)));
    const later = (iso: string) => new Date(Date.parse(iso) + shift * day);
    await insertAll(db, t.requests, layers.requests.map((f) => ({
      ticket: shiftTicket(p(f).id, shift), category: p(f).category, description: p(f).description, channel: p(f).channel ?? 'qr',
      status: p(f).status, contact: p(f).contact ?? null, createdAt: later(p(f).createdAt),
      updatedAt: later(p(f).updatedAt ?? p(f).createdAt), geom: f.geometry as GeoJSON.Point,
    })));
    // past requests go through the same rule as new ones (api/db/migrations/0002_assign_point.sql)
    await db.execute(sql`
      UPDATE requests r SET street_id = a.street_id, community_id = a.community_id,
             grid_id = a.grid_id, microgrid_id = a.microgrid_id
      FROM requests q CROSS JOIN LATERAL assign_point(q.geom) a WHERE q.id = r.id`);
    await db.execute(sql`
      INSERT INTO request_events (request_id, at, actor, action, to_status, note)
      SELECT id, created_at, 'resident', 'filed', 'collected', channel FROM requests`);
    // each past request's steps, assignee, deadlines, outcome and rating (api/demo/history.ts)
    await seedLoopHistory(db);
    // the demo's past is history, not news: nobody is told of it (docs/notifications.md)
    await db.execute(sql`DELETE FROM outbox`);
    await db.execute(sql`DELETE FROM notifications`);
    await seedDemoAccess(db);
    await seedDemoCare(db); // the care ledger's fictional households (issue 11 §2)
    await seedDemoVisits(db); // field visits, a patrol and a 零上报 (issue 11 §3)
    await colourSiblings(db);
    await placeAreaLabels(db);
    await seedDemoLists(db); // 三项清单 and 微心愿 of 学生路社区 (issue 11 §1), at the grids' label points
    await db.insert(t.meta).values({ key: 'demo', value: { sha256: hash.digest('hex'), loadedAt: new Date().toISOString() } });
  });
  return true;
}

const day = 86_400_000;

/**
 * The demo's requests end on the day it was generated; moved forward by whole days so the newest
 * lies within the last day, the wall screen shows a living community (today's figures, requests
 * still inside their deadlines) instead of one where everything went overdue last week.
 * DEMO_SHIFT=0 keeps the dates as generated.
 */
export function demoShiftDays(createdAt: number[], now = Date.now()): number {
  if (process.env.DEMO_SHIFT === '0' || !createdAt.length) return 0;
  return Math.max(0, Math.floor((now - Math.max(...createdAt)) / day));
}

/** GM20261119-0042 moved by 6 days → GM20261125-0042: the ticket's date follows its request. */
export function shiftTicket(ticket: string, days: number): string {
  const m = ticket.match(/^GM(\d{4})(\d{2})(\d{2})(-.*)$/);
  if (!m || !days) return ticket;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * day);
  return `GM${date.toISOString().slice(0, 10).replaceAll('-', '')}${m[4]}`;
}

async function insertAll(db: Db, table: any, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insert(table).values(rows.slice(i, i + 500));
}

function multi(geometry: Geometry | null): GeoJSON.MultiPolygon {
  if (geometry?.type === 'MultiPolygon') return geometry;
  if (geometry?.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
  throw new Error(`expected a Polygon or MultiPolygon, got ${geometry?.type ?? 'no geometry'}`);
}
