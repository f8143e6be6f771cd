import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { requestCategories } from '../domain.ts';
import { en } from '../../web/src/lib/i18n/en.ts';
import { zhCN } from '../../web/src/lib/i18n/zh-CN.ts';

/**
 * GeoReport v2 resources made from our own tables. Service names are the UI's Chinese category
 * names (one source: web/src/lib/i18n), so a 311 client shows what residents see in the app.
 */

/** When the service list last changed (discovery's `changeset`). */
export const changeset = '2026-11-25T00:00:00+08:00';

const groups: Record<string, string> = {
  blocked_drain: '设施维修', street_light: '设施维修', leaking_roof: '设施维修', facility_repair: '设施维修', heating: '设施维修',
  flying_wire_charging: '消防安全', clutter: '消防安全',
  neighbour_dispute: '邻里与秩序', noise: '邻里与秩序', parking: '邻里与秩序',
  sanitation: '环境卫生', elderly_help: '为民服务', other: '其他',
};

export const serviceName = (code: string) => zhCN.requestCategories[code] ?? code;
export const isServiceCode = (code: string) => (requestCategories as readonly string[]).includes(code);

/** GET services: every request category, realtime (the id is answered at once), no extra fields. */
export function services() {
  return requestCategories.map((code) => ({
    service_code: code,
    service_name: serviceName(code),
    description: `${serviceName(code)}（${en.requestCategories[code as keyof typeof en.requestCategories]}）：提交后按位置自动分派到所在网格`,
    metadata: false,
    type: 'realtime' as const,
    keywords: [serviceName(code), en.requestCategories[code as keyof typeof en.requestCategories], groups[code]].join(', '),
    group: groups[code],
  }));
}

/** GET services/{code}: no service asks for more than the location and description. */
export const serviceDefinition = (code: string) => ({ service_code: code, attributes: [] as never[] });

/** The spec's two states: the first four of our six steps are open, the rest closed. */
export const openStates = ['collected', 'claimed', 'deliberating', 'resolving'] as const;
export const open311Status = (status: string) => ((openStates as readonly string[]).includes(status) ? 'open' : 'closed');

/** Requests as GeoReport v2 `request` elements: public fields only, our state as `gm_status`. */
export async function loadRequests(database: Database, where: SQL, limit = 1000) {
  const rows = await database.rows<Record<string, any>>(sql`
    SELECT r.ticket, r.status, r.category, r.description, r.outcome,
           to_json(r.created_at) #>> '{}' AS requested, to_json(r.updated_at) #>> '{}' AS updated,
           to_json(r.resolve_deadline) #>> '{}' AS expected,
           ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
           s.name AS street, cm.name AS community, g.name AS grid, m.name AS microgrid
    FROM requests r
    LEFT JOIN areas s ON s.id = r.street_id LEFT JOIN areas cm ON cm.id = r.community_id
    LEFT JOIN areas g ON g.id = r.grid_id LEFT JOIN areas m ON m.id = r.microgrid_id
    WHERE ${where}
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${limit}`);
  return rows.map((row) => ({
    service_request_id: row.ticket as string,
    status: open311Status(row.status),
    status_notes: row.outcome ?? zhCN.statuses[row.status] ?? row.status,
    service_name: serviceName(row.category),
    service_code: row.category as string,
    description: row.description as string,
    agency_responsible: [row.community, row.grid].filter(Boolean).join(' '),
    requested_datetime: w3(row.requested)!,
    updated_datetime: w3(row.updated)!,
    ...(row.expected ? { expected_datetime: w3(row.expected)! } : {}),
    // most specific first, as the spec asks
    address: [row.microgrid, row.grid, row.community, row.street].filter(Boolean).join(', '),
    lat: Number(row.lat),
    long: Number(row.lon),
    gm_status: row.status as string,
  }));
}

/** w3 date-time with its zone (the spec requires one): UTC, `Z`. */
export function w3(value: string | null): string | null {
  if (!value) return null;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
