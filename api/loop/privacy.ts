import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { appendEvent } from './moves.ts';
import type { RequestRow } from './request-row.ts';

// What the public sees of a request (个人信息保护): its category, status, times, areas and a
// location rounded to a 0.001° grid — never the resident's words, photos, contact or exact point.
// Staff in scope may publish a description (their wording, or the resident's redacted); the
// location stays rounded even then. One rule for every public output: OGC, the live stream, the
// wall's kiosk, /api/stats, Open311, the similar-nearby list and a ticket opened without its token.

/** Publishes a description of the request for the public view, with its audit event. */
export async function publish(database: Database, row: RequestRow, user: StaffUser, description: string) {
  await appendEvent(database, row, user.staffId, 'published', description,
    sql`, published_description = ${description}, published_at = now(), published_by = ${user.staffId}`);
}

/** Takes the published description back: the public view shows none again. */
export async function unpublish(database: Database, row: RequestRow, user: StaffUser) {
  await appendEvent(database, row, user.staffId, 'unpublished', null,
    sql`, published_description = NULL, published_at = NULL, published_by = NULL`);
}
