import type { PublicTicket } from './api.ts';

// The six steps of 周二说事日 drawn from a ticket's public timeline.

/** Which of the six steps a status belongs to; `claimed` is still the first step (网格问事), in hand. */
export const stepIndexOf: Record<string, number> = {
  collected: 0, claimed: 0, deliberating: 1, resolving: 2, resolved: 3, revisited: 4, archived: 5,
};

export type StepView = {
  status: string;
  state: 'done' | 'current' | 'skipped' | 'pending';
  at: string | null;
  notes: string[];
  /** first step only: when a worker took it (claimed or dispatched) */
  claimedAt?: string | null;
};

/**
 * One entry per step: when it was (last) reached, and whether it is done, current, pending or
 * skipped (deliberation is optional: a request can go straight from claimed to resolving).
 */
export function stepViews(ticket: PublicTicket, stepStatuses: string[]): StepView[] {
  const current = stepIndexOf[ticket.status] ?? -1;
  return stepStatuses.map((status, i) => {
    const entries = ticket.steps.filter((s) => s.status === status);
    // the first step is dated by the filing; later ones by their latest entry (a reopened request re-enters resolving)
    const at = i === 0 ? (entries[0]?.at ?? ticket.createdAt) : (entries[entries.length - 1]?.at ?? null);
    const notes = entries.map((s) => s.note).filter((n): n is string => !!n);
    let state: StepView['state'];
    if (i === current) state = 'current';
    else if (i < current) state = at ? 'done' : 'skipped';
    else state = 'pending';
    const claimedAt = i === 0 ? (ticket.steps.find((s) => s.status === 'claimed')?.at ?? null) : undefined;
    return { status, state, at, notes, claimedAt };
  });
}
