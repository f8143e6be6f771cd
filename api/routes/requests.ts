import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { LookupInput, NewRequest, RatingInput, SimilarQuery, Ticket, TokenQuery } from '../contract/wire.ts';
import { redeemLookupCode } from '../loop/lookup-code.ts';
import { ApiError } from '../errors.ts';
import { json, query } from '../validate.ts';
import { fileWithSimilar, similarRequests } from '../loop/file.ts';
import { meToo, rate } from '../loop/moves.ts';
import { addReporterPhoto, photoBodyLimit, photoFromForm, photosOf } from '../loop/photos.ts';
import { checkReportToken, lookupCode } from '../loop/report-token.ts';
import { requireRequest, toPublicRequest } from '../loop/request-row.ts';
import { publicSteps } from '../loop/timeline.ts';
import { eraseContact } from '../loop/retention.ts';
import { filingCountOf } from '../guard/filing-count.ts';

const notReporter = (what: string) => new ApiError('not_reporter', `only the reporter can ${what}: pass ?token= from the filing answer`);

/** /api/requests: residents file, follow, second, add a photo to and rate requests (no sign-in). */
export const requestRoutes = (database: Database) => new Hono()
  .post('/', json(NewRequest), async (c) => {
    const filed = await fileWithSimilar(database, c.req.valid('json'), filingCountOf(c)); // counted by the filing's own statement (api/guard/filing-count.ts)
    return c.json(filed, 201, { location: `/api/collections/requests/items/${filed.ticket}` });
  })

  /** Before filing: open requests of the same category within 50 m. */
  .get('/similar', query(SimilarQuery), async (c) => c.json({ similar: await similarRequests(database, c.req.valid('query')) }))

  /** The resident's view of a request: its steps, outcome and rating, no private data; photos with the report token. */
  .get('/:ticket', query(TokenQuery), async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    const { token } = c.req.valid('query');
    const own = token ? await checkReportToken(database, row.ticket, token) : false;
    const ticket: Ticket = Ticket.parse({
      ...toPublicRequest(row),
      steps: await publicSteps(database, row.id),
      own,
      escalationLevel: row.escalationLevel,
      // the reporter (with the token) sees their own words, place and photos (theirs and the outcome's)
      ...(own ? {
        description: row.description, lon: row.lon, lat: row.lat, hasContact: row.contact !== null,
        photos: (await photosOf(database, row.id)).map((p) => ({ ...p, url: `${p.url}?token=${token}` })),
        lookupCode: await lookupCode(database, row.ticket),
      } : {}),
    });
    return c.json(ticket);
  })

  /** Ticket + lookup code, typed on another phone (issue 10): answers the report token that phone keeps; tries are throttled. */
  .post('/:ticket/lookup', json(LookupInput), async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    return c.json({ ticket: row.ticket, reportToken: await redeemLookupCode(database, row, c.req.valid('json').code) });
  })

  .post('/:ticket/me-too', async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    return c.json({ meToo: await meToo(database, row) });
  })

  /** The reporter's photo of the problem, within an hour of filing (proof: ?token=). */
  .post('/:ticket/photos', photoBodyLimit, query(TokenQuery), async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    const { token } = c.req.valid('query');
    if (!(await checkReportToken(database, row.ticket, token))) throw notReporter('add photos');
    const { bytes } = await photoFromForm(c);
    const photo = await addReporterPhoto(database, row, bytes);
    return c.json({ id: photo.id, url: `${photo.url}?token=${token}` }, 201);
  })

  /** The reporter rates the result: 1–5; ≤ 2 reopens the request one level up. */
  .post('/:ticket/rating', query(TokenQuery), json(RatingInput), async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    if (!(await checkReportToken(database, row.ticket, c.req.valid('query').token))) throw notReporter('rate');
    const { rating, note } = c.req.valid('json');
    await rate(database, row, rating, note ?? null);
    const after = await requireRequest(database, row.ticket);
    return c.json({ ticket: after.ticket, status: after.status, rating: after.rating });
  })
  /** The reporter has their phone number erased (proof: ?token=); audited. Answers whether one was kept. */
  .delete('/:ticket/contact', query(TokenQuery), async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    if (!(await checkReportToken(database, row.ticket, c.req.valid('query').token))) throw notReporter('erase the contact');
    return c.json({ ticket: row.ticket, erased: await eraseContact(database, row) });
  });
