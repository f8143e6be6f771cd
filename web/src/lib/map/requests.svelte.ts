import { LiveRequests } from '../api/live.svelte.ts';

/**
 * The public request markers of the map page: the one live model (../api/live.svelte.ts), public
 * viewer. `collection` is what the map's request layer shows.
 */
class RequestsStore {
  live = new LiveRequests();

  get collection() {
    return this.live.features();
  }

  get error() {
    return this.live.error;
  }

  start() {
    void this.live.start(null);
  }

  stop() {
    this.live.stop();
  }
}

export const requestsStore = new RequestsStore();
