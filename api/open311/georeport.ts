import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { enNames, zhCNNames } from '../contract/names.ts';
import { isOpenStatus, isRequestCategory, requestCategories, requestCategoryRules } from '../contract/vocabulary.ts';
import { loadRequests as loadRows } from '../loop/request-row.ts';

/**
 * GeoReport v2 resources made from our own tables. Service names are the Chinese category names
 * residents see in the app (api/contract/names.ts), so a 311 client shows the same words.
 */

/** When the service list last changed (discovery's `changeset`). */
export const changeset = '2026-11-25T00:00:00+08:00';

export const serviceName = (code: string) => (isRequestCategory(code) ? zhCNNames.requestCategories[code] : code);
export const isServiceCode = isRequestCategory;

/** GET services: every request category, realtime (the id is answered at once), no extra fields. */
export function services() {
  return requestCategories.map((code) => {
    const group = zhCNNames.open311Groups[requestCategoryRules[code].open311Group];
    return {
      service_code: code,
      service_name: serviceName(code),
      description: `${serviceName(code)}（${enNames.requestCategories[code]}）：提交后按位置自动分派到所在网格`,
      metadata: false,
      type: 'realtime' as const,
      keywords: [serviceName(code), enNames.requestCategories[code], group].join(', '),
      group,
    };
  });
}

/** GET services/{code}: no service asks for more than the location and description. */
export const serviceDefinition = (code: string) => ({ service_code: code, attributes: [] as never[] });

/** The spec's two states: the first four of our six steps are open, the rest closed. */
export const open311Status = (status: string) => (isOpenStatus(status) ? 'open' : 'closed');

/** Requests as GeoReport v2 `request` elements: public fields only, our state as `gm_status`. */
export async function loadRequests(database: Database, where: SQL, limit = 1000) {
  const rows = await loadRows(database, where, { orderBy: sql`r.created_at DESC, r.id DESC`, limit });
  return rows.map((row) => ({
    service_request_id: row.ticket,
    status: open311Status(row.status),
    status_notes: row.outcome ?? zhCNNames.statuses[row.status] ?? row.status,
    service_name: serviceName(row.category),
    service_code: row.category as string,
    // the public view (api/loop/privacy.ts): published wording only, the location on the public grid
    ...(row.publishedDescription ? { description: row.publishedDescription } : {}),
    agency_responsible: [row.communityName, row.gridName].filter(Boolean).join(' '),
    requested_datetime: w3(row.createdAt)!,
    updated_datetime: w3(row.updatedAt)!,
    ...(row.resolveDeadline ? { expected_datetime: w3(row.resolveDeadline)! } : {}),
    // most specific first, as the spec asks
    address: [row.microgridName, row.gridName, row.communityName, row.streetName].filter(Boolean).join(', '),
    lat: row.publicLat,
    long: row.publicLon,
    gm_status: row.status as string,
  }));
}

/** w3 date-time with its zone (the spec requires one): UTC, `Z`. */
export function w3(value: string | null): string | null {
  if (!value) return null;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
