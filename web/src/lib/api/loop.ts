import { api, read, signalled } from './client.ts';
import type { RequestStatus } from '../../../../api/contract/vocabulary.ts';

// The request loop's calls (docs/api.md "The request loop"): staff sign-in, the worker's queue, the
// resident's ticket, the wall's figures — each one line over the typed client, its answer typed by
// the API's own wire schemas (api/contract/wire.ts).

export type {
  Assignee, AuditEvent, LiveEvent, Photo, StaffRequest, StaffRequestDetail, StaffUser, Stats, Ticket, TicketStep,
} from '../../../../api/contract/wire.ts';
export type { RequestStatus as LoopStatus } from '../../../../api/contract/vocabulary.ts';
export { ApiError } from './client.ts';

const staff = api.staff.requests;
const one = (ticket: string) => ({ param: { ticket } });

// staff sign-in
export const signIn = (username: string, password: string, signal?: AbortSignal) =>
  read(api.session.$post({ json: { username, password } }, signalled(signal)));
export const fetchSession = (signal?: AbortSignal) => read(api.session.$get(undefined, signalled(signal)));
export const signOut = (signal?: AbortSignal) => read(api.session.$delete(undefined, signalled(signal)));

// the worker's queue and a request's handling
export const fetchQueue = (scope: 'mine' | 'area', signal?: AbortSignal) =>
  read(staff.$get({ query: { scope, status: 'open' } }, signalled(signal)));
export const fetchStaffRequest = (ticket: string, signal?: AbortSignal) => read(staff[':ticket'].$get(one(ticket), signalled(signal)));
export const claimRequest = (ticket: string, signal?: AbortSignal) => read(staff[':ticket'].claim.$post(one(ticket), signalled(signal)));
export const moveRequest = (ticket: string, change: { to: RequestStatus; note?: string; outcome?: string; duplicateOf?: string }, signal?: AbortSignal) =>
  read(staff[':ticket'].status.$post({ ...one(ticket), json: change }, signalled(signal)));
export const escalateRequest = (ticket: string, note: string, signal?: AbortSignal) =>
  read(staff[':ticket'].escalate.$post({ ...one(ticket), json: { note } }, signalled(signal)));
export const addNote = (ticket: string, note: string, signal?: AbortSignal) =>
  read(staff[':ticket'].notes.$post({ ...one(ticket), json: { note } }, signalled(signal)));
/** Publishes a (redacted) description for the public view; `unpublishRequest` takes it back. */
export const publishRequest = (ticket: string, text: string, signal?: AbortSignal) =>
  read(staff[':ticket'].publish.$post({ ...one(ticket), json: { note: text } }, signalled(signal)));
export const unpublishRequest = (ticket: string, signal?: AbortSignal) => read(staff[':ticket'].publish.$delete(one(ticket), signalled(signal)));
export const fetchAssignees = (ticket: string, signal?: AbortSignal) => read(staff[':ticket'].assignees.$get(one(ticket), signalled(signal)));
export const dispatchRequest = (ticket: string, assigneeId: string, note?: string, signal?: AbortSignal) =>
  read(staff[':ticket'].dispatch.$post({ ...one(ticket), json: note ? { assigneeId, note } : { assigneeId } }, signalled(signal)));

/** A staff photo of progress or of the outcome (multipart: the typed client sends the form as the body). */
export function addPhoto(ticket: string, photo: File, kind: 'progress' | 'outcome', signal?: AbortSignal) {
  const form = new FormData();
  form.set('photo', photo);
  form.set('kind', kind);
  return read(staff[':ticket'].photos.$post(one(ticket), { init: { ...signalled(signal).init, method: 'POST', body: form } }));
}

// the resident's ticket
export const fetchTicket = (ticket: string, token: string | null, signal?: AbortSignal) =>
  read(api.requests[':ticket'].$get({ ...one(ticket), query: token ? { token } : {} }, signalled(signal)));
export const rateTicket = (ticket: string, token: string, rating: number, note: string | undefined, signal?: AbortSignal) =>
  read(api.requests[':ticket'].rating.$post({ ...one(ticket), query: { token }, json: note ? { rating, note } : { rating } }, signalled(signal)));
export const eraseTicketContact = (ticket: string, token: string, signal?: AbortSignal) =>
  read(api.requests[':ticket'].contact.$delete({ ...one(ticket), query: { token } }, signalled(signal)));

// the wall screen
/** The wall's figures: a kiosk link's area, else the area asked for (a secretary's community), else the whole street. */
export const fetchStats = (kiosk: string | null, signal?: AbortSignal, areaId: string | null = null) =>
  read(api.stats.$get({ query: kiosk ? { kiosk } : areaId ? { areaId } : {} }, signalled(signal)));

// staff notifications (issue 9 §4): the list with its unread count, marking read
export const fetchNotifications = (signal?: AbortSignal) => read(api.notifications.$get(undefined, signalled(signal)));
export const markNotificationsRead = (which: { ids: number[] } | { all: true }, signal?: AbortSignal) =>
  read(api.notifications.read.$post({ json: which }, signalled(signal)));

// issue 10: the worker's walk to a request, the staff intake, the resident's lookup code
export type { StaffFiling } from '../../../../api/contract/wire.ts';
const pair = (lon: number, lat: number) => `${lon.toFixed(7)},${lat.toFixed(7)}`;
export const fetchWalk = (from: [number, number], to: [number, number], signal?: AbortSignal) =>
  read(api.route.$get({ query: { from: pair(...from), to: pair(...to) } }, signalled(signal)));
export const fileForResident = (filing: import('../../../../api/contract/wire.ts').StaffFiling, signal?: AbortSignal) =>
  read(staff.$post({ json: filing }, signalled(signal)));
export const redeemLookupCode = (ticket: string, code: string, signal?: AbortSignal) =>
  read(api.requests[':ticket'].lookup.$post({ ...one(ticket), json: { code } }, signalled(signal)));
