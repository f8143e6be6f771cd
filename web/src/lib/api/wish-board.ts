import { api, read, signalled, type Answer } from './client.ts';
import type { WishClaim } from '../../../../api/contract/lists.ts';

// The public wish board (/wishes, docs/lists.md): published wishes, and a volunteer's claim of one.
// No session: nothing here carries more than the staff's summary and the community's and grid's names.

const wishes = api.lists.wishes;

export type WishBoard = Answer<typeof wishes.board.$get>;
export type BoardWish = WishBoard['wishes'][number];

export const fetchWishBoard = (signal?: AbortSignal) => read(wishes.board.$get({ query: {} }, signalled(signal)));
export const claimWish = (id: number, claim: WishClaim) => read(wishes[':id'].claim.$post({ param: { id: String(id) }, json: claim }));
/** Staff turn down a volunteer's claim (the wish waits again). */
export const declineWishOffer = (id: number) => read(wishes[':id'].decline.$post({ param: { id: String(id) } }));
