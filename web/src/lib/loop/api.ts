import { requestJson as call } from '../api/http.ts';

// The request loop's API (docs/api-loop.md): staff sign-in, the worker's queue, the resident's
// ticket, the wall's figures. Every call takes an AbortSignal so a stale one can be dropped.

/** An answer other than 2xx (the one ApiError of ../api/http.ts, under the name the loop's pages use). */
export { ApiError as LoopApiError } from '../api/http.ts';

// who is signed in: the server's own type of what /api/session answers (type only: nothing of api/ is bundled)
import type { StaffRole } from '../../../../api/contract/vocabulary.ts';
import type { StaffUser } from '../../../../api/contract/wire.ts';
export type { StaffRole, StaffUser };

export type LoopStatus =
  | 'collected' | 'claimed' | 'deliberating' | 'resolving' | 'resolved' | 'revisited' | 'archived' | 'rejected' | 'duplicate';

export type StaffRequest = {
  id?: string;
  ticket: string;
  category: string;
  description: string;
  status: LoopStatus;
  channel?: string;
  createdAt: string;
  updatedAt?: string;
  contact: string | null;
  assignee: { id: string; name: string } | null;
  claimDeadline: string | null;
  resolveDeadline: string | null;
  timeLeftMinutes: number | null;
  overdue: boolean;
  escalationLevel: number;
  meToo: number;
  lon: number;
  lat: number;
  outcome?: string | null;
  rating?: number | null;
  grid?: { id: string; name: string } | null;
  community?: { id: string; name: string } | null;
  microgrid?: { id: string; name: string } | null;
  gridId?: string | null;
  gridName?: string | null;
  address?: string | null;
};

export type AuditEvent = {
  id: number | string;
  at: string;
  actor: string;
  actorName?: string | null;
  action: string;
  // the contract names them fromStatus/toStatus; the API answers from/to: both are read
  fromStatus?: string | null;
  toStatus?: string | null;
  from?: string | null;
  to?: string | null;
  note: string | null;
};

export type Photo = { id: number | string; kind: string; url: string };

export type StaffRequestDetail = StaffRequest & { events: AuditEvent[]; photos: Photo[] };

export type TicketStep = { at: string; step: string; status: string; note: string | null };

export type PublicTicket = {
  ticket: string;
  category: string;
  description: string;
  status: LoopStatus;
  createdAt: string;
  community: { id: string; name: string } | string | null;
  grid: { id: string; name: string } | string | null;
  steps: TicketStep[];
  outcome: string | null;
  rating: number | null;
  meToo: number;
  timeLeftMinutes: number | null;
  overdue: boolean;
};

export type LiveEvent = {
  id: number | string;
  ticket: string;
  action: string;
  status: LoopStatus;
  fromStatus: string | null;
  category: string;
  lon: number;
  lat: number;
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  at: string;
  overdue: boolean;
  timeLeftMinutes?: number | null;
};

export type Stats = {
  today: { new: number; claimed: number; resolved: number; overdue: number; satisfaction: number | null };
  trend: { date: string; new: number; resolved: number }[];
  grids: { id: string; name: string; open: number; overdue: number; load: number }[];
  latest: LiveEvent[];
};

const enc = encodeURIComponent;
const staffPath = (ticket: string, rest = '') => `/api/staff/requests/${enc(ticket)}${rest}`;

// staff sign-in
export const signIn = (username: string, password: string, signal?: AbortSignal) =>
  call<{ user: StaffUser }>('POST', '/api/session', signal, { username, password });
export const fetchSession = (signal?: AbortSignal) => call<{ user: StaffUser }>('GET', '/api/session', signal);
export const signOut = (signal?: AbortSignal) => call<void>('DELETE', '/api/session', signal);

// the worker's queue and a request's handling
export const fetchQueue = (scope: 'mine' | 'area', signal?: AbortSignal) =>
  call<{ requests: StaffRequest[] }>('GET', `/api/staff/requests?scope=${scope}&status=open`, signal);
export const fetchStaffRequest = (ticket: string, signal?: AbortSignal) =>
  call<StaffRequestDetail>('GET', staffPath(ticket), signal);
export const claimRequest = (ticket: string, signal?: AbortSignal) =>
  call<StaffRequest>('POST', staffPath(ticket, '/claim'), signal);
export const moveRequest = (ticket: string, change: { to: LoopStatus; note?: string; outcome?: string }, signal?: AbortSignal) =>
  call<StaffRequest>('POST', staffPath(ticket, '/status'), signal, change);
export const escalateRequest = (ticket: string, note: string, signal?: AbortSignal) =>
  call<StaffRequest>('POST', staffPath(ticket, '/escalate'), signal, { note });
export const addNote = (ticket: string, note: string, signal?: AbortSignal) =>
  call<unknown>('POST', staffPath(ticket, '/notes'), signal, { note });
/** Someone a request can be dispatched to (workers of its grid first), with how many requests they already hold. */
export type Assignee = { id: string; name: string; role: StaffRole; areaId: string; openRequests: number };
/** The roles that may dispatch and reassign (派单 / 改派): the API answers 403 to anyone else. */
export const dispatcherRoles: readonly StaffRole[] = ['grid_leader', 'secretary', 'street_admin'];
export const mayDispatch = (user: StaffUser | null | undefined) => !!user && dispatcherRoles.includes(user.role);
export const fetchAssignees = (ticket: string, signal?: AbortSignal) =>
  call<{ assignees: Assignee[] }>('GET', staffPath(ticket, '/assignees'), signal);
export const dispatchRequest = (ticket: string, assigneeId: string, note?: string, signal?: AbortSignal) =>
  call<StaffRequestDetail>('POST', staffPath(ticket, '/dispatch'), signal, note ? { assigneeId, note } : { assigneeId });
export function addPhoto(ticket: string, photo: File, kind: 'progress' | 'outcome', signal?: AbortSignal) {
  const form = new FormData();
  form.set('photo', photo);
  form.set('kind', kind);
  return call<{ id: number | string; url: string }>('POST', staffPath(ticket, '/photos'), signal, form);
}

// the resident's ticket
export const fetchTicket = (ticket: string, signal?: AbortSignal) =>
  call<PublicTicket>('GET', `/api/requests/${enc(ticket)}`, signal);
export const rateTicket = (ticket: string, token: string, rating: number, note: string | undefined, signal?: AbortSignal) =>
  call<unknown>('POST', `/api/requests/${enc(ticket)}/rating?token=${enc(token)}`, signal, note ? { rating, note } : { rating });

/** Where the report page keeps the reporter's secret for a ticket (their proof for rating and photos). */
export const reportTokenKey = (ticket: string) => `gm-report-token:${ticket}`;

// the wall screen
const kioskQuery = (kiosk: string | null, sep: '?' | '&') => (kiosk ? `${sep}kiosk=${enc(kiosk)}` : '');
export const fetchStats = (kiosk: string | null, signal?: AbortSignal) =>
  call<Stats>('GET', `/api/stats${kioskQuery(kiosk, '?')}`, signal);
export const eventsUrl = (kiosk: string | null) => `/api/events${kioskQuery(kiosk, '?')}`;
