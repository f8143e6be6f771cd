import { loopStepOf, loopSteps, type LoopStep } from '../../../../api/contract/vocabulary.ts';
import type { Ticket } from '../api/loop.ts';

// The six steps of 周二说事日 drawn from a ticket's public timeline.

export type StepView = {
  status: LoopStep;
  state: 'done' | 'current' | 'skipped' | 'pending';
  at: string | null;
  notes: string[];
  /** escalations while at this step: the level each reached (0 grid worker … 3 street) */
  escalatedTo: number[];
  /** first step only: when a worker took it (claimed or dispatched) */
  claimedAt?: string | null;
};

/**
 * One entry per step: when it was (last) reached, and whether it is done, current, pending or
 * skipped (deliberation is optional: a request can go straight from claimed to resolving).
 */
export function stepViews(ticket: Pick<Ticket, 'status' | 'steps' | 'createdAt'>): StepView[] {
  const current = loopStepOf(ticket.status);
  return loopSteps.map((status, i) => {
    const entries = ticket.steps.filter((s) => s.status === status);
    // the first step is dated by the filing; later ones by their latest entry (a reopened request re-enters resolving)
    const at = i === 0 ? (entries[0]?.at ?? ticket.createdAt) : (entries[entries.length - 1]?.at ?? null);
    const notes = entries.map((s) => s.note).filter((n): n is string => !!n);
    const escalatedTo = entries.flatMap((s) => (s.step === 'escalate' && s.toLevel !== null ? [s.toLevel] : []));
    let state: StepView['state'];
    if (i === current) state = 'current';
    else if (i < current) state = at ? 'done' : 'skipped';
    else state = 'pending';
    const claimedAt = i === 0 ? (ticket.steps.find((s) => s.status === 'claimed')?.at ?? null) : undefined;
    // a step the request went back before (a bad rating reopened it) keeps no notes: its outcome was superseded
    return { status, state, at, notes: state === 'pending' ? [] : notes, escalatedTo, claimedAt };
  });
}
