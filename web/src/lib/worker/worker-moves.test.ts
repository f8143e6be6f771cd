import { describe, expect, it } from 'vitest';
import { requestStatuses, transitions } from '../../../../api/contract/vocabulary.ts';
import { workerMoves } from './worker-moves.ts';

describe('the moves a worker is offered', () => {
  it('offers only the claim on a collected request, as the primary button', () => {
    expect(workerMoves('collected')).toEqual([{ to: 'claimed', primary: true, needs: null }]);
  });

  it('offers deliberation and resolving on a claimed request, resolving primary', () => {
    expect(workerMoves('claimed')).toEqual([
      { to: 'deliberating', primary: false, needs: null },
      { to: 'resolving', primary: true, needs: null },
    ]);
  });

  it('asks for the outcome when a request being resolved is resolved', () => {
    expect(workerMoves('resolving')).toEqual([
      { to: 'deliberating', primary: false, needs: null },
      { to: 'resolved', primary: true, needs: 'outcome' },
    ]);
  });

  it('offers nothing on a closed request', () => {
    for (const status of ['resolved', 'revisited', 'archived', 'rejected', 'duplicate'] as const) expect(workerMoves(status)).toEqual([]);
  });

  it('never offers a move the state table forbids', () => {
    for (const from of requestStatuses) {
      for (const move of workerMoves(from)) expect(transitions[from]).toContain(move.to);
    }
  });
});
