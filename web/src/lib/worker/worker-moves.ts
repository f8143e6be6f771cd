import {
  isOpenStatus, loopStepOf, outcomeRequired, refusedStatuses, transitions, type RequestStatus,
} from '../../../../api/contract/vocabulary.ts';

// The buttons a worker gets on an open request: the state table's forward moves (vocabulary:
// `transitions`), in the order of the six steps, the furthest one primary. Rejecting and marking a
// duplicate are not offered here; resolving asks for the outcome the resident will read.

export type WorkerMove = {
  to: RequestStatus;
  /** the step the request is heading for: the big button */
  primary: boolean;
  /** what the move asks for before it can be sent */
  needs: 'outcome' | null;
};

const refused: readonly RequestStatus[] = refusedStatuses;

export function workerMoves(status: RequestStatus): WorkerMove[] {
  if (!isOpenStatus(status)) return [];
  const moves = transitions[status].filter((to) => !refused.includes(to)).sort((a, b) => loopStepOf(a) - loopStepOf(b));
  const furthest = moves[moves.length - 1];
  return moves.map((to) => ({ to, primary: to === furthest, needs: outcomeRequired(status, to) ? 'outcome' : null }));
}
