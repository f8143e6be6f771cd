import type { FeatureCollection, Point } from 'geojson';
import { LiveRequests } from '../api/live.svelte.ts';
import type { ViewQuery } from '../api/map.ts';

/**
 * The public requests of the map page's view: the one live model (../api/live.svelte.ts), public
 * viewer. `collection` is what the map's request layer shows, `areas` the counts per area when the
 * view holds too many for markers.
 */
class RequestsStore {
  live = new LiveRequests();

  get collection() {
    return this.live.features();
  }

  get areas(): FeatureCollection<Point> {
    return this.live.areaFeatures;
  }

  get view() {
    return this.live.view;
  }

  get error() {
    return this.live.error;
  }

  /**
   * What the map shows: its box and zoom, closed requests filed in the last `closedDays` days (none
   * when null). `?limit=` in the page's address asks for fewer markers (a slow screen).
   */
  show(bounds: [number, number, number, number], zoom: number, closedDays: number | null) {
    const limit = new URLSearchParams(location.search).get('limit');
    const query: ViewQuery = { bbox: bounds.map((v) => v.toFixed(5)).join(','), zoom: zoom.toFixed(2), ...(limit && { limit }) };
    if (closedDays !== null) query.closedFrom = shanghaiDay(Date.now() - closedDays * 86_400_000);
    void this.live.setView(query);
    if (!this.#started) void this.live.start(null);
    this.#started = true;
  }

  #started = false;

  stop() {
    this.live.stop();
    this.#started = false;
  }
}

/** The day (YYYY-MM-DD) in Asia/Shanghai of a time in ms. */
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export const requestsStore = new RequestsStore();
