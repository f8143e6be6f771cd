import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { Database } from '../db/client.ts';
import type { PoiCategory } from '../contract/vocabulary.ts';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { query } from '../validate.ts';
import { walkGraph } from '../geo/walk-graph.ts';
import { publicTeam } from '../places/team.ts';
import { describePoi, nearestOnFoot, walkMinutes } from '../places/pois.ts';
import { tokenize } from '../contract/address.ts';

const riderServices: PoiCategory[] = ['rider_station', 'party_service_centre', 'ebike_parking', 'ebike_charging'];
const serviceWalk = 500; // m from the main gate

type Gate = { id: string; name: string; main: boolean; lon: number; lat: number };
type Entrance = { id: string; unit: number; name: string; lon: number; lat: number };

async function compoundOr404(database: Database, id: string) {
  const [compound] = await database.rows<{ id: string; name: string; address: string | null; microgridId: string | null; footprint: string; w: number; s: number; e: number; n: number }>(sql`
    SELECT id, name, address, microgrid_id AS "microgridId", ST_AsGeoJSON(geom, 7) AS footprint,
           ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
    FROM compounds WHERE id = ${id}`);
  if (!compound) throw new ApiError('compound_not_found', `no compound '${id}': scan the code at the gate again`, { compoundId: id });
  return compound;
}

const gatesOf = (database: Database, compoundId: string) => database.rows<Gate>(sql`
  SELECT id, name, main, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM gates WHERE compound_id = ${compoundId} ORDER BY main DESC, id`);

/** The rider guide (骑手导图): a compound's layout, its doors and the services a rider needs. */
export const riderRoutes = (database: Database) => new Hono()
  .get('/:compoundId', async (c) => {
    const compound = await compoundOr404(database, c.req.param('compoundId'));
    const [gates, buildings, entrances, lanes, team] = await Promise.all([
      gatesOf(database, compound.id),
      database.rows<{ id: string; number: string | null; name: string | null; floors: number | null; units: number | null; use: string; footprint: string }>(sql`
        SELECT id, number, name, floors, units, use, ST_AsGeoJSON(geom, 7) AS footprint FROM buildings
        WHERE compound_id = ${compound.id} ORDER BY length(number), number, id`),
      database.rows<Entrance & { buildingId: string }>(sql`
        SELECT e.id, e.unit, e.name, e.building_id AS "buildingId", ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat
        FROM entrances e JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = ${compound.id} ORDER BY e.building_id, e.unit`),
      // the paths inside the compound and the streets at its gates
      database.rows<{ id: string; name: string | null; class: string; geometry: string }>(sql`
        SELECT r.id, r.name, r.class, ST_AsGeoJSON(r.geom, 7) AS geometry FROM roads r, compounds c
        WHERE c.id = ${compound.id} AND r.geom && ST_Expand(c.geom, 0.0003) AND ST_Intersects(r.geom, ST_Expand(c.geom, 0.0003))
        ORDER BY r.id`),
      compound.microgridId ? database.rows<{ parentId: string | null }>(sql`SELECT parent_id AS "parentId" FROM areas WHERE id = ${compound.microgridId}`)
        .then(([m]) => publicTeam(database, [compound.microgridId!, ...(m?.parentId ? [m.parentId] : [])])) : Promise.resolve([]),
    ]);

    let services: ReturnType<typeof describePoi>[] = [];
    const from = gates[0];
    if (from) {
      const graph = await walkGraph(database);
      const snap = graph.snap(from.lon, from.lat, 500);
      if (snap) {
        const found = await nearestOnFoot(database, graph, { lon: from.lon, lat: from.lat, snap }, { categories: riderServices, limit: 20, maxWalkMeters: serviceWalk });
        services = found.map(({ row, walk }) => describePoi(row, from, walk));
      }
    }

    return c.json({
      compound: { id: compound.id, name: compound.name, address: compound.address, footprint: JSON.parse(compound.footprint) as Polygon | MultiPolygon },
      bounds: [compound.w, compound.s, compound.e, compound.n].map(Number) as [number, number, number, number],
      gates: gates.map((g) => ({ ...g, lon: Number(g.lon), lat: Number(g.lat) })),
      buildings: buildings.map((b) => ({
        id: b.id, number: b.number, name: b.name, floors: b.floors, units: b.units, use: b.use,
        footprint: JSON.parse(b.footprint) as Polygon | MultiPolygon,
        entrances: entrances.filter((e) => e.buildingId === b.id)
          .map((e) => ({ id: e.id, unit: e.unit, name: e.name, lon: Number(e.lon), lat: Number(e.lat) })),
      })),
      lanes: {
        type: 'FeatureCollection' as const,
        features: lanes.map((r) => ({
          type: 'Feature' as const, id: r.id, geometry: JSON.parse(r.geometry) as LineString | MultiLineString,
          properties: { id: r.id, class: r.class, name: r.name },
        })),
      },
      services,
      gridTeam: team.map(({ name, role, phone }) => ({ name, role, phone })),
    });
  })

  /** 3号楼2单元: the building, its door and the walking path from the nearest gate. */
  .get('/:compoundId/find', query(z.object({ q: z.string().max(100, { error: 'q must be at most 100 characters' }).optional() })), async (c) => {
    const compound = await compoundOr404(database, c.req.param('compoundId'));
    const q = c.req.valid('query').q ?? '';
    const tokens = tokenize(q);
    const building = tokens.find((t) => t.kind === 'building');
    const unit = tokens.find((t) => t.kind === 'unit');
    if (!building) throw new ApiError('unparsed_building', 'q must name a building, e.g. 3号楼2单元, 3号楼, 3栋2单元 or 3-2', { field: 'q' });

    const buildings = await database.rows<{ id: string; number: string | null; name: string | null; floors: number | null; units: number | null; digits: string | null }>(sql`
      SELECT id, number, name, floors, units, ltrim(substring(number from '[0-9]+'), '0') AS digits
      FROM buildings WHERE compound_id = ${compound.id} ORDER BY length(number), number, id`);
    const found = buildings.find((b) => b.digits === building.number);
    if (!found) {
      throw new ApiError('building_not_in_compound', `no building ${building.number} in ${compound.name}`, {
        field: 'q', compound: compound.name, number: building.number, buildings: buildings.map((b) => b.number).filter(Boolean),
      });
    }
    const entrances = await database.rows<Entrance>(sql`
      SELECT id, unit, name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM entrances WHERE building_id = ${found.id} ORDER BY unit`);
    let doors = entrances;
    if (unit) {
      doors = entrances.filter((e) => String(e.unit) === unit.number);
      if (!doors.length) {
        throw new ApiError('unit_not_in_building', `building ${found.number} has no unit ${unit.number}`, {
          field: 'q', building: found.number ?? found.name, unit: unit.number, units: entrances.map((e) => e.unit),
        });
      }
    }
    const gates = await gatesOf(database, compound.id);
    const graph = await walkGraph(database);
    const snapGate = gates.map((g) => ({ ...g, lon: Number(g.lon), lat: Number(g.lat), snap: graph.snap(Number(g.lon), Number(g.lat)) })).filter((g) => g.snap);
    const targets = doors.map((e) => ({ ...e, lon: Number(e.lon), lat: Number(e.lat), snap: graph.snap(Number(e.lon), Number(e.lat)) })).filter((e) => e.snap);
    // the gate nearest on foot to the door (any door when no unit was asked)
    let best: { gate: (typeof snapGate)[number]; route: NonNullable<ReturnType<typeof graph.route>> } | null = null;
    for (const gate of snapGate) {
      const route = graph.route({ lon: gate.lon, lat: gate.lat, snap: gate.snap! }, targets.map((t) => ({ lon: t.lon, lat: t.lat, snap: t.snap! })));
      if (route && (!best || route.meters < best.route.meters)) best = { gate, route };
    }
    const entrance = best ? targets[best.route.target] : (targets[0] ?? null);
    return c.json({
      building: { id: found.id, number: found.number, name: found.name, floors: found.floors, units: found.units },
      entrance: entrance ? { id: entrance.id, unit: entrance.unit, name: entrance.name, lon: entrance.lon, lat: entrance.lat } : null,
      gate: best ? { id: best.gate.id, name: best.gate.name, main: best.gate.main, lon: best.gate.lon, lat: best.gate.lat } : null,
      path: best ? { type: 'LineString' as const, coordinates: best.route.coordinates } : null,
      meters: best ? Math.round(best.route.meters * 10) / 10 : null,
      minutes: best ? walkMinutes(best.route.meters) : null,
    });
  });
