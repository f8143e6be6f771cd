import { mayMove, transitions, type RequestStatus } from '../contract/vocabulary.ts';
import { ApiError } from '../errors.ts';

// The state table is a fact of the vocabulary (api/contract/vocabulary.ts: `transitions`), shared
// with the web; here it becomes the loop's guard and its refusal.

/** 409 naming the states reachable from `from` unless `to` is one of them. */
export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!mayMove(from, to)) throw illegal(from, to);
}

export function illegal(from: RequestStatus, to: RequestStatus) {
  const allowed = transitions[from];
  return new ApiError('illegal_transition',
    `cannot go from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'nothing (the request is closed)'}`,
    { from, to, allowed });
}

/** 409 for a step that needs the request open: `action` names the step refused. */
export const closed = (status: RequestStatus, action: 'dispatch' | 'escalate' | 'me_too') =>
  new ApiError('request_closed', `a ${status} request is closed: no ${action.replace('_', ' ')} any more${action === 'me_too' ? '; file a new one if the problem is back' : ''}`,
    { status, action, allowed: [] });
