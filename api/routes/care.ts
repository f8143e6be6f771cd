import { Hono, type Context } from 'hono';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { z } from 'zod';
import { CareCounts, CareDue, CareHousehold, CareHouseholdEdit, CareHouseholdInput, CareList, CareListQuery, CareMap, CarePlaces, CareVisitInput } from '../contract/care.ts';
import { carePlaces } from '../care/places.ts';
import { careCounts, careKeeper, createHousehold, editHousehold, healthMap, listHouseholds, readHousehold, recordVisit, visitsDue } from '../care/ledger.ts';
import { ApiError } from '../errors.ts';
import { json, query } from '../validate.ts';
import { kioskAreaOr403 } from '../live/viewer.ts';

// /api/care/… (docs/care.md): the care ledger, staff in scope only — anonymous 401, out of scope 403.
// Every answer is personal data: never cached, never public.

const noStore = { 'cache-control': 'no-store' };

const keeper = async (c: Context, database: Database) => careKeeper(await currentUser(c, database));

const householdId = (value: string) => {
  if (!/^\d{1,9}$/.test(value)) throw new ApiError('household_not_found', `no care household ${value.slice(0, 20)}`, { id: value.slice(0, 20) });
  return Number(value);
};

export const careRoutes = (database: Database) => new Hono()
  .get('/households', query(CareListQuery), async (c) => {
    const user = await keeper(c, database);
    return c.json(CareList.parse(await listHouseholds(database, user, c.req.valid('query'))), 200, noStore);
  })
  .post('/households', json(CareHouseholdInput), async (c) => {
    const user = await keeper(c, database);
    const id = await createHousehold(database, user, c.req.valid('json'));
    return c.json({ id }, 201, noStore);
  })
  .get('/households/:id', async (c) => {
    const user = await keeper(c, database);
    return c.json(CareHousehold.parse(await readHousehold(database, user, householdId(c.req.param('id')))), 200, noStore);
  })
  .post('/households/:id', json(CareHouseholdEdit), async (c) => {
    const user = await keeper(c, database);
    await editHousehold(database, user, householdId(c.req.param('id')), c.req.valid('json'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .post('/households/:id/visits', json(CareVisitInput), async (c) => {
    const user = await keeper(c, database);
    const id = await recordVisit(database, user, householdId(c.req.param('id')), c.req.valid('json'));
    return c.json({ id }, 201, noStore);
  })
  .get('/due', async (c) => {
    const user = await keeper(c, database);
    return c.json(CareDue.parse(await visitsDue(database, user)), 200, noStore);
  })
  .get('/map', async (c) => {
    const user = await keeper(c, database);
    return c.json(CareMap.parse(await healthMap(database, user)), 200, noStore);
  })
  // the household form's choices: grids, buildings and staff of the keeper's area
  .get('/places', async (c) => {
    const user = await keeper(c, database);
    return c.json(CarePlaces.parse(await carePlaces(database, user)), 200, noStore);
  })
  // the wall's share of the ledger: households per grid and colour in the kiosk's area (or the
  // keeper's), never a household; without a kiosk link or a session, nothing
  .get('/counts', query(z.object({ kiosk: z.string().max(200).optional() })), async (c) => {
    const { kiosk } = c.req.valid('query');
    const areaId = kiosk !== undefined ? (await kioskAreaOr403(database, kiosk)).id : (await keeper(c, database)).areaId;
    return c.json(CareCounts.parse(await careCounts(database, areaId)), 200, noStore);
  });
