import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { NewApiKey, NewKioskLink, NewStaff, StaffChange } from '../contract/admin.ts';
import { addStaff, disableStaffAccount, enableStaffAccount, listRoster, resetStaffPassword, updateStaff } from '../admin/people.ts';
import { createApiKey, createKioskLink, listApiKeys, listKioskLinks, recentAdminEvents, revokeApiKey, revokeKioskLink } from '../admin/links.ts';
import { administrator, assignableRoles, managedAreaList, streetAdministrator } from '../admin/scope.ts';
import { importRoster, previewRoster, rosterTemplate } from '../admin/roster-import.ts';
import { ApiError } from '../errors.ts';
import { uploaded } from '../admin/upload.ts';
import { publicBase } from '../urls.ts';
import { json, Limit, query } from '../validate.ts';

const noStore = { 'cache-control': 'no-store' };
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const numericId = (value: string, what: 'kiosk_not_found' | 'api_key_not_found') => {
  if (!/^\d{1,9}$/.test(value)) throw new ApiError(what, `no such id ${value.slice(0, 20)}`);
  return Number(value);
};

/**
 * /api/admin: the administration console's People section — the roster and accounts, kiosk links,
 * Open311 API keys, the audit trail (api/admin/). Staff only, by scope: a secretary their community,
 * the street administrator everything. Answers are never cached: they hold phones and one-time secrets.
 */
export const adminRoutes = (database: Database) => new Hono()
  .get('/staff', async (c) => {
    const user = administrator(await currentUser(c, database));
    const [staff, areas] = await Promise.all([listRoster(database, user), managedAreaList(database, user)]);
    return c.json({ staff, areas, roles: [...assignableRoles(user)] }, 200, noStore);
  })
  .post('/staff', json(NewStaff), async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json(await addStaff(database, user, c.req.valid('json')), 201, noStore);
  })
  // the 花名册 from Excel: the template, a preview with every problem, the import all or nothing
  .get('/staff/template', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.body(new Uint8Array(await rosterTemplate(database, user)), 200, {
      'content-type': xlsxType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('花名册模板.xlsx')}`, ...noStore,
    });
  })
  .post('/staff/import/preview', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ preview: await previewRoster(database, user, (await uploaded(c)).bytes) }, 200, noStore);
  })
  .post('/staff/import', async (c) => {
    const user = administrator(await currentUser(c, database));
    const file = await uploaded(c);
    return c.json({ report: await importRoster(database, user, file.bytes, file.name) }, 201, noStore);
  })
  .patch('/staff/:id', json(StaffChange), async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ staff: await updateStaff(database, user, c.req.param('id'), c.req.valid('json')) }, 200, noStore);
  })
  .post('/staff/:id/disable', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ staff: await disableStaffAccount(database, user, c.req.param('id')) }, 200, noStore);
  })
  .post('/staff/:id/enable', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ staff: await enableStaffAccount(database, user, c.req.param('id')) }, 200, noStore);
  })
  .post('/staff/:id/reset-password', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ password: await resetStaffPassword(database, user, c.req.param('id')) }, 200, noStore);
  })

  .get('/kiosks', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ kiosks: await listKioskLinks(database, user) }, 200, noStore);
  })
  .post('/kiosks', json(NewKioskLink), async (c) => {
    const user = administrator(await currentUser(c, database));
    const { link, token } = await createKioskLink(database, user, c.req.valid('json'));
    return c.json({ kiosk: link, token, url: `${publicBase(c.req.url)}/wall?kiosk=${token}` }, 201, noStore);
  })
  .post('/kiosks/:id/revoke', async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ kiosk: await revokeKioskLink(database, user, numericId(c.req.param('id'), 'kiosk_not_found')) }, 200, noStore);
  })

  .get('/api-keys', async (c) => {
    streetAdministrator(administrator(await currentUser(c, database)));
    return c.json({ keys: await listApiKeys(database) }, 200, noStore);
  })
  .post('/api-keys', json(NewApiKey), async (c) => {
    const user = streetAdministrator(administrator(await currentUser(c, database)));
    const { key, secret } = await createApiKey(database, user, c.req.valid('json').label);
    return c.json({ key, secret }, 201, noStore);
  })
  .post('/api-keys/:id/revoke', async (c) => {
    const user = streetAdministrator(administrator(await currentUser(c, database)));
    return c.json({ key: await revokeApiKey(database, user, numericId(c.req.param('id'), 'api_key_not_found')) }, 200, noStore);
  })

  .get('/events', query(z.object({ limit: Limit(50, 500) })), async (c) => {
    const user = administrator(await currentUser(c, database));
    return c.json({ events: await recentAdminEvents(database, user, c.req.valid('query').limit) }, 200, noStore);
  });
