import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffRequest, StaffUser } from '../../../../api/contract/wire.ts';
import { Queue } from './queue.svelte.ts';

// The queue's own logic (optimistic claims that stay honest), against answers shaped as the API
// gives them; the API's side of claiming is tested on real databases in tests/api/loop.test.ts.

const me: StaffUser = { username: 'wu', staffId: 'S1', name: '吴', role: 'grid_worker', areaId: 'G1', areaName: '一网格', areaLevel: 'grid' };

const request = (ticket: string): StaffRequest => ({
  ticket, category: 'street_light', description: '路灯不亮', published: false, publishedDescription: null, status: 'collected', channel: 'qr',
  createdAt: '2026-12-04T08:00:00.000Z', updatedAt: '2026-12-04T08:00:00.000Z',
  districtId: null, streetId: 'S', communityId: 'C', gridId: 'G1', microgridId: null, community: null, grid: null, microgrid: null,
  claimDeadline: '2026-12-04T12:00:00.000Z', resolveDeadline: '2026-12-07T08:00:00.000Z', timeLeftMinutes: 120, overdue: false,
  outcome: null, rating: null, meToo: 0, contact: null, assignee: null, claimedAt: null, resolvedAt: null, escalationLevel: 0,
  ratingNote: null, duplicateOf: null, lon: 113.2, lat: 35.2, building: null, channelRef: null, reporterName: null,
});

/** Answers the queue's calls: the list on GET, `claim` on the claim's POST. */
function serve(claim: { status: number; body: unknown }) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    calls.push(`${method} ${url.pathname}`);
    const answer = method === 'POST' ? claim : { status: 200, body: { requests: [request('GM1')] } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('the worker queue', () => {
  it('marks a claim won when the API takes it', async () => {
    serve({ status: 200, body: request('GM1') });
    const queue = new Queue();
    await queue.load();
    await queue.claim('GM1', me);
    expect(queue.claims.GM1).toBe('won');
  });

  it('says the claim was lost and restores the card when someone else was faster', async () => {
    serve({ status: 409, body: { error: 'already claimed by 赵', code: 'already_claimed', assigneeName: '赵' } });
    const queue = new Queue();
    await queue.load();
    await queue.claim('GM1', me);
    expect(queue.claims.GM1).toBe('lost');
    expect(queue.lostTo.GM1).toBe('赵');
    expect(queue.requests[0].status).toBe('collected');
  });

  it('passes on any other failure and forgets the claim', async () => {
    serve({ status: 403, body: { error: 'outside your area', code: 'out_of_scope' } });
    const queue = new Queue();
    await queue.load();
    await expect(queue.claim('GM1', me)).rejects.toMatchObject({ code: 'out_of_scope' });
    expect(queue.claims.GM1).toBeUndefined();
    expect(queue.requests[0].assignee).toBeNull();
  });

  it('keeps the failure of a load, for the page to word', async () => {
    serve({ status: 200, body: {} });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: 'sign in first', code: 'sign_in_required' }), { status: 401 }));
    const queue = new Queue();
    await queue.load();
    expect(queue.error).toMatchObject({ code: 'sign_in_required', status: 401 });
  });
});
