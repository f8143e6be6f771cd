import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { administrator } from '../admin/scope.ts';
import { BuildingChange, isMovableLayer, movableLayers, OutlineChange, PointMove } from '../contract/place-edits.ts';
import { changeBuilding, editableMap, movePoint } from '../places/edit.ts';
import { reshapeArea } from '../places/outline.ts';
import { ApiError } from '../errors.ts';
import { json } from '../validate.ts';

const noStore = { 'cache-control': 'no-store' };

/**
 * /api/admin/places: editing on the map (issue 8 §2, docs/editing.md) — what the editor may change,
 * a point moved, a building's number or units, an area's outline. Administrators only, by scope;
 * every change audited in admin_events with its before and after.
 */
export const placeEditRoutes = (database: Database) => new Hono()
  .get('/places/map', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json(await editableMap(database, user), 200, noStore);
  })
  .post('/places/:layer/:id/position', json(PointMove), async (c) => {
    const user = administrator(await currentUser(c, database));
    const layer = c.req.param('layer');
    if (!isMovableLayer(layer)) throw new ApiError('unknown_layer', `only ${movableLayers.join(', ')} are moved on the map`, { allowed: [...movableLayers] });
    return c.json(await movePoint(database, user, layer, c.req.param('id'), c.req.valid('json').geometry), 200, noStore);
  })
  .post('/places/buildings/:id', json(BuildingChange), async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json(await changeBuilding(database, user, c.req.param('id'), c.req.valid('json')), 200, noStore);
  })
  .post('/areas/:id/outline', json(OutlineChange), async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json(await reshapeArea(database, user, c.req.param('id'), c.req.valid('json').geometry), 200, noStore);
  });
