import { Hono, type Context } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { careKeeper } from '../care/ledger.ts';
import {
  Coverage, MonthQuery, Patrol, PatrolList, TrackInput, VisitCard, VisitInput, VisitList, VisitRequestInput, ZeroAnswer, ZeroInput, ZeroReport,
} from '../contract/visits.ts';
import { photoBodyLimit, photoFromForm } from '../loop/photos.ts';
import { json, query } from '../validate.ts';
import { addVisitPhoto, fileFromVisit, listVisits, logVisit, readVisit, readVisitPhoto } from '../visits/log.ts';
import { addTrack, listPatrols, readPatrol, startPatrol, stopPatrol } from '../visits/patrol.ts';
import { coverage, reportZero, zeroReports } from '../visits/coverage.ts';
import { inMonthSql, monthOrNow, pathId } from '../visits/scope.ts';

// /api/visits/… (docs/visits.md): field visits, patrols, 零上报 and coverage. The care ledger's
// keepers only — anonymous 401, other roles 403, another area's visit 403. Every answer is
// residents' circumstances or exact places: never cached, never public.

const noStore = { 'cache-control': 'no-store' };

const keeper = async (c: Context, database: Database) => careKeeper(await currentUser(c, database));

export const visitRoutes = (database: Database) => new Hono()
  .get('/', query(MonthQuery), async (c) => {
    const user = await keeper(c, database);
    const { month, grid } = c.req.valid('query');
    const where = sql`${inMonthSql(sql`v.at`, monthOrNow(month))} AND ${grid ? sql`v.grid_id = ${grid}` : sql`TRUE`}`;
    return c.json(VisitList.parse({ visits: await listVisits(database, user, where) }), 200, noStore);
  })
  .post('/', json(VisitInput), async (c) => {
    const user = await keeper(c, database);
    return c.json({ id: await logVisit(database, user, c.req.valid('json')) }, 201, noStore);
  })
  .get('/coverage', query(MonthQuery), async (c) => {
    const user = await keeper(c, database);
    const { month, grid } = c.req.valid('query');
    return c.json(Coverage.parse(await coverage(database, user, monthOrNow(month), grid)), 200, noStore);
  })
  .get('/zero', query(MonthQuery), async (c) => {
    const user = await keeper(c, database);
    return c.json({ reports: ZeroReport.array().parse(await zeroReports(database, user, monthOrNow(c.req.valid('query').month))) }, 200, noStore);
  })
  // 零上报: the first of the day 201, the same day again 200 with that report (created: false)
  .post('/zero', json(ZeroInput), async (c) => {
    const user = await keeper(c, database);
    const report = ZeroAnswer.parse(await reportZero(database, user, c.req.valid('json').note));
    return c.json(report, report.created ? 201 : 200, noStore);
  })
  .get('/patrols', query(MonthQuery), async (c) => {
    const user = await keeper(c, database);
    const { month, grid } = c.req.valid('query');
    const where = sql`${inMonthSql(sql`p.started_at`, monthOrNow(month))} AND ${grid ? sql`p.grid_id = ${grid}` : sql`TRUE`}`;
    return c.json(PatrolList.parse({ patrols: await listPatrols(database, user, where) }), 200, noStore);
  })
  // one open walk per worker: a second start answers the open one (200)
  .post('/patrols', async (c) => {
    const user = await keeper(c, database);
    const { id, created } = await startPatrol(database, user);
    return c.json(Patrol.parse(await readPatrol(database, user, id)), created ? 201 : 200, noStore);
  })
  .get('/patrols/:id', async (c) => {
    const user = await keeper(c, database);
    return c.json(Patrol.parse(await readPatrol(database, user, pathId(c.req.param('id'), 'patrol_not_found'))), 200, noStore);
  })
  .post('/patrols/:id/track', json(TrackInput), async (c) => {
    const user = await keeper(c, database);
    return c.json(await addTrack(database, user, pathId(c.req.param('id'), 'patrol_not_found'), c.req.valid('json')), 200, noStore);
  })
  .post('/patrols/:id/stop', async (c) => {
    const user = await keeper(c, database);
    return c.json(Patrol.parse(await stopPatrol(database, user, pathId(c.req.param('id'), 'patrol_not_found'))), 200, noStore);
  })
  .get('/photos/:id', async (c) => {
    const user = await keeper(c, database);
    const photo = await readVisitPhoto(database, user, pathId(c.req.param('id'), 'photo_not_found'));
    return c.body(new Uint8Array(photo.bytes), 200, {
      'content-type': photo.mime, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff', 'content-disposition': 'inline',
    });
  })
  .get('/:id', async (c) => {
    const user = await keeper(c, database);
    return c.json(VisitCard.parse(await readVisit(database, user, pathId(c.req.param('id'), 'visit_not_found'))), 200, noStore);
  })
  .post('/:id/photos', photoBodyLimit, async (c) => {
    const user = await keeper(c, database);
    const id = pathId(c.req.param('id'), 'visit_not_found');
    const { bytes } = await photoFromForm(c);
    return c.json(await addVisitPhoto(database, user, id, bytes), 201, noStore);
  })
  // one tap: the finding as a request (channel visit); a second tap answers the same ticket (200)
  .post('/:id/request', json(VisitRequestInput), async (c) => {
    const user = await keeper(c, database);
    const filed = await fileFromVisit(database, user, pathId(c.req.param('id'), 'visit_not_found'), c.req.valid('json'));
    return c.json(filed, filed.created ? 201 : 200, { ...noStore, location: `/api/staff/requests/${filed.ticket}` });
  });
