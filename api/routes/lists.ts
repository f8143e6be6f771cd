import { Hono, type Context } from 'hono';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import {
  ListPlaces, ListsMap, NeedEdit, NeedInput, NeedList, NeedListQuery, ProgressInput, ProjectEdit, ProjectInput, ProjectList,
  ResourceEdit, ResourceInput, ResourceList, WishBoard, WishBoardQuery, WishClaim, WishEdit, WishInput, WishList, WishMove,
} from '../contract/lists.ts';
import { listKeeper, rowIdOf } from '../lists/scope.ts';
import { createNeed, editNeed, listNeeds } from '../lists/needs.ts';
import { createResource, editResource, listResources } from '../lists/resources.ts';
import { addProgress, createProject, editProject, listProjects } from '../lists/projects.ts';
import { createWish, declineOffer, editWish, listWishes, moveWish, offerClaim, wishBoard } from '../lists/wishes.ts';
import { listsMap } from '../lists/map.ts';
import { listPlaces } from '../lists/places.ts';
import { json, query } from '../validate.ts';

// /api/lists/… (docs/lists.md): 三项清单 — needs, resources, projects — and 微心愿. Staff in scope
// only (anonymous 401, out of scope 403), never cached; the one public answer is the wish board.

const noStore = { 'cache-control': 'no-store' };

const keeper = async (c: Context, database: Database) => listKeeper(database, await currentUser(c, database));

export const listRoutes = (database: Database) => new Hono()
  .get('/needs', query(NeedListQuery), async (c) => {
    const k = await keeper(c, database);
    return c.json(NeedList.parse(await listNeeds(database, k, c.req.valid('query'))), 200, noStore);
  })
  .post('/needs', json(NeedInput), async (c) => {
    const k = await keeper(c, database);
    return c.json({ id: await createNeed(database, k, c.req.valid('json')) }, 201, noStore);
  })
  .post('/needs/:id', json(NeedEdit), async (c) => {
    const k = await keeper(c, database);
    await editNeed(database, k, rowIdOf(c.req.param('id'), 'need_not_found'), c.req.valid('json'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .get('/resources', async (c) => {
    const k = await keeper(c, database);
    return c.json(ResourceList.parse(await listResources(database, k)), 200, noStore);
  })
  .post('/resources', json(ResourceInput), async (c) => {
    const k = await keeper(c, database);
    return c.json({ id: await createResource(database, k, c.req.valid('json')) }, 201, noStore);
  })
  .post('/resources/:id', json(ResourceEdit), async (c) => {
    const k = await keeper(c, database);
    await editResource(database, k, rowIdOf(c.req.param('id'), 'resource_not_found'), c.req.valid('json'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .get('/projects', async (c) => {
    const k = await keeper(c, database);
    return c.json(ProjectList.parse(await listProjects(database, k)), 200, noStore);
  })
  .post('/projects', json(ProjectInput), async (c) => {
    const k = await keeper(c, database);
    return c.json({ id: await createProject(database, k, c.req.valid('json')) }, 201, noStore);
  })
  .post('/projects/:id', json(ProjectEdit), async (c) => {
    const k = await keeper(c, database);
    await editProject(database, k, rowIdOf(c.req.param('id'), 'project_not_found'), c.req.valid('json'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .post('/projects/:id/progress', json(ProgressInput), async (c) => {
    const k = await keeper(c, database);
    return c.json({ id: await addProgress(database, k, rowIdOf(c.req.param('id'), 'project_not_found'), c.req.valid('json')) }, 201, noStore);
  })
  .get('/wishes', async (c) => {
    const k = await keeper(c, database);
    return c.json(WishList.parse(await listWishes(database, k)), 200, noStore);
  })
  // public: what staff chose to publish of the wishes still waiting or claimed, nothing of the household
  .get('/wishes/board', query(WishBoardQuery), async (c) => c.json(WishBoard.parse(await wishBoard(database, c.req.valid('query').community))))
  .post('/wishes', json(WishInput), async (c) => {
    const k = await keeper(c, database);
    return c.json({ id: await createWish(database, k, c.req.valid('json')) }, 201, noStore);
  })
  .post('/wishes/:id', json(WishEdit), async (c) => {
    const k = await keeper(c, database);
    await editWish(database, k, rowIdOf(c.req.param('id'), 'wish_not_found'), c.req.valid('json'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .post('/wishes/:id/status', json(WishMove), async (c) => {
    const k = await keeper(c, database);
    return c.json({ status: await moveWish(database, k, rowIdOf(c.req.param('id'), 'wish_not_found'), c.req.valid('json')) }, 200, noStore);
  })
  // public (its own per-client limit, wishClaims: api/app.ts): a volunteer claims a published wish; staff confirm it (status → claimed) or decline it
  .post('/wishes/:id/claim', json(WishClaim), async (c) => {
    await offerClaim(database, rowIdOf(c.req.param('id'), 'wish_not_found'), c.req.valid('json'));
    return c.json({ status: 'offered' as const }, 201, noStore);
  })
  .post('/wishes/:id/decline', async (c) => {
    const k = await keeper(c, database);
    await declineOffer(database, k, rowIdOf(c.req.param('id'), 'wish_not_found'));
    return c.json({ ok: true as const }, 200, noStore);
  })
  .get('/map', async (c) => {
    const k = await keeper(c, database);
    return c.json(ListsMap.parse(await listsMap(database, k)), 200, noStore);
  })
  .get('/places', async (c) => {
    const k = await keeper(c, database);
    return c.json(ListPlaces.parse(await listPlaces(database, k)), 200, noStore);
  });
