import { isOpenStatus, ratingRange, type RequestStatus } from '../../../../api/contract/vocabulary.ts';

/**
 * A request the resident rated poorly, and so reopened, while it is being handled again (居民不满意):
 * its outcome on record is the superseded one. A new resolution clears the rating (api/loop/moves.ts).
 */
export const isDissatisfied = (r: { status: RequestStatus; rating: number | null }): boolean =>
  r.rating != null && r.rating <= ratingRange.reopenAtMost && isOpenStatus(r.status);
