import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { printed, qrKinds, qrSvg, qrTarget, sheetSvg, type QrKind } from '../places/qr.ts';
import { configuredBase, publicBase } from '../urls.ts';

const svgHeaders = { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=300' };

/** /api/qr: one code as SVG, or a compound's printable A4 sheet of codes. */
export const qrRoutes = (database: Database) => new Hono()
  .get('/sheet/:file', async (c) => {
    const compoundId = c.req.param('file').replace(/\.svg$/, '');
    if (!c.req.param('file').endsWith('.svg')) throw new ApiError('not_found', 'ask for the sheet as …/sheet/{compoundId}.svg', { field: 'compoundId' });
    const target = await qrTarget(database, 'compound', compoundId);
    if (!target) throw new ApiError('compound_not_found', `no compound '${compoundId}'; see /api/collections/compounds/items`, { compoundId });
    const base = publicBase(c.req.url);
    const [gates, buildings] = await Promise.all([
      database.rows<{ id: string; name: string }>(sql`SELECT id, name FROM gates WHERE compound_id = ${compoundId} ORDER BY main DESC, id`),
      database.rows<{ id: string; label: string }>(sql`SELECT id, coalesce(number, name, id) AS label FROM buildings WHERE compound_id = ${compoundId} ORDER BY length(number), number, id`),
    ]);
    const cards = [
      ...gates.map((g) => ({ title: `${target.title} ${g.name}`, instruction: printed.gate, url: `${base}${target.path}` })),
      ...buildings.map((b) => ({ title: `${target.title} ${b.label}`, instruction: printed.building, url: `${base}/report?building=${encodeURIComponent(b.id)}` })),
    ];
    const warning = configuredBase() ? undefined : printed.noPublicUrl(base);
    return c.body(sheetSvg(target.title, cards, warning), 200, svgHeaders);
  })

  .get('/:kind/:file', async (c) => {
    const kind = c.req.param('kind') as QrKind;
    if (!qrKinds.includes(kind)) throw new ApiError('invalid_value', `kind must be one of: ${qrKinds.join(', ')}`, { field: 'kind', allowed: qrKinds });
    const file = c.req.param('file');
    if (!file.endsWith('.svg')) throw new ApiError('not_found', `ask for the code as …/${kind}/{id}.svg`, { field: 'id' });
    const id = file.slice(0, -4);
    const target = await qrTarget(database, kind, id);
    if (!target) throw new ApiError('not_found', `no ${kind} '${id}'`, { kind, id });
    return c.body(qrSvg(`${publicBase(c.req.url)}${target.path}`), 200, svgHeaders);
  });
