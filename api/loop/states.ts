import { requestStatuses, openStatuses } from '../db/schema.ts';
import { ApiError } from '../errors.ts';

export type Status = (typeof requestStatuses)[number];

/**
 * The closed loop (six steps of 周二说事日) as data: from each state, where it may go.
 * collect → claim → (deliberate →) resolve → feedback (resolved) → revisit → archive.
 */
export const transitions: Readonly<Record<Status, readonly Status[]>> = {
  collected: ['claimed', 'rejected', 'duplicate'],
  claimed: ['deliberating', 'resolving', 'rejected', 'duplicate'],
  deliberating: ['resolving', 'rejected'],
  resolving: ['resolved', 'deliberating'],
  resolved: ['revisited', 'resolving'],
  revisited: ['archived'],
  archived: [],
  rejected: [],
  duplicate: [],
};

export const isStatus = (value: unknown): value is Status => typeof value === 'string' && (requestStatuses as readonly string[]).includes(value);
export const isOpen = (status: string) => (openStatuses as readonly string[]).includes(status);
export const allowedFrom = (from: Status) => transitions[from];

/** 409 naming the states reachable from `from` unless `to` is one of them. */
export function assertTransition(from: Status, to: Status): void {
  if (transitions[from].includes(to)) return;
  throw illegal(from, to);
}

export function illegal(from: Status, to: Status) {
  const allowed = transitions[from];
  return new ApiError(409, `cannot go from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'nothing (the request is closed)'}`,
    { from, to, allowed });
}

/** Escalation levels: who holds the request (0 grid worker → 1 mediator → 2 community → 3 street). */
export const escalationLevels = ['grid_worker', 'mediator', 'community', 'street'] as const;
export const escalationNames = ['网格员', '调解员', '社区', '街道'] as const;
export const topLevel = escalationLevels.length - 1;

/** The public name of each step in a resident's timeline. */
export const stepOf: Record<Status, string> = {
  collected: 'collect', claimed: 'claim', deliberating: 'deliberate', resolving: 'resolve',
  resolved: 'feedback', revisited: 'revisit', archived: 'archive', rejected: 'reject', duplicate: 'duplicate',
};
