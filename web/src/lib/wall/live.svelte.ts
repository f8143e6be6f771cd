import type { FeatureCollection, Point } from 'geojson';
import { fetchStats, type LiveEvent, type Stats } from '../api/loop.ts';
import { isOpen, LiveRequests, type LiveRequest } from '../api/live.svelte.ts';
import { urgencyOf, type Urgency } from '../ui/time-left.ts';

// The wall screen's live data: figures from /api/stats; markers and the feed from the one live
// model (../api/live.svelte.ts): the public snapshot, then the SSE stream of the kiosk's area.

const FEED_LENGTH = 30;
const STATS_INTERVAL = 60_000; // ms; also reloaded shortly after every event
const STATS_DEBOUNCE = 800; // ms: a burst of events costs one reload

export type Marker = Pick<LiveRequest, 'ticket' | 'category' | 'status' | 'gridId' | 'overdue' | 'timeLeftMinutes' | 'toldAt'>;

/**
 * How urgent a marker is now: the server's time left (api/loop/deadlines.ts, as the worker's queue
 * sees it), less the minutes since it was told; overdue once the server said so or the time ran out.
 */
export function markerUrgency(m: Marker, now = Date.now()): { urgency: Urgency; minutes: number | null } {
  const minutes = m.timeLeftMinutes == null ? null : m.timeLeftMinutes - Math.max(0, Math.floor((now - m.toldAt) / 60_000));
  return { urgency: urgencyOf(minutes, m.overdue), minutes };
}

class WallLive {
  kiosk: string | null = null;
  /** without a kiosk link: the signed-in staff member's own area (a secretary's community) */
  areaId: string | null = null;
  stats = $state.raw<Stats | null>(null);
  /** why the figures could not be read (a revoked kiosk link, the network): the page words it */
  statsError = $state<unknown>(null);
  feed = $state.raw<LiveEvent[]>([]);
  live = new LiveRequests();
  /** tickets that just arrived or changed, for the map to pulse */
  onChange: ((ticket: string) => void) | null = null;

  #statsTimer: ReturnType<typeof setInterval> | null = null;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #statsController: AbortController | null = null;

  get connection() {
    return this.live.connection;
  }

  /** bumped whenever markers change: the map redraws from `collection()` */
  get version() {
    return this.live.version;
  }

  set version(value: number) {
    this.live.version = value;
  }

  /** Open requests of the screen's area (the live view asks the server for that area's only). */
  get markers(): Map<string, Marker> {
    return new Map([...this.live.requests].filter(([, r]) => this.#shown(r)));
  }

  #shown = (r: LiveRequest) => isOpen(r) && !!r.gridId;

  async start(kiosk: string | null, areaId: string | null = null) {
    this.kiosk = kiosk;
    this.areaId = areaId;
    await this.loadStats();
    if (this.statsError) return;
    this.#statsTimer = setInterval(() => void this.loadStats(), STATS_INTERVAL);
    this.feed = this.stats?.latest ?? [];
    this.live.onEvent = (event) => this.#arrived(event);
    // the open requests of the screen's area (the kiosk's, or the staff member's), not every request;
    // a district's screen: counts per street (the view's zoom below the markers'), its thousands of markers unreadable
    this.live.setView({ ...(!kiosk && areaId && { area: areaId }), ...(this.stats?.unitLevel === 'street' && { zoom: '10' }) });
    await this.live.start(kiosk);
  }

  stop() {
    this.live.stop();
    this.#statsController?.abort();
    if (this.#statsTimer) clearInterval(this.#statsTimer);
    if (this.#debounce) clearTimeout(this.#debounce);
  }

  async loadStats() {
    this.#statsController?.abort();
    const controller = (this.#statsController = new AbortController());
    try {
      this.stats = await fetchStats(this.kiosk, controller.signal, this.areaId);
      this.statsError = null;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.statsError = error;
    }
  }

  #arrived(event: LiveEvent) {
    const shown = this.live.requests.get(event.ticket);
    if (shown && isOpen(shown)) this.onChange?.(event.ticket);
    this.feed = [event, ...this.feed.filter((e) => e.id !== event.id)].slice(0, FEED_LENGTH);
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.loadStats(), STATS_DEBOUNCE);
  }

  /** The markers as GeoJSON for the map, with their urgency worked out now. */
  collection(now = Date.now()): FeatureCollection<Point> {
    return this.live.features((r) => this.#shown(r), (r) => {
      const { urgency, minutes } = markerUrgency(r, now);
      return { urgency, timeLeftMinutes: minutes };
    });
  }
}

export const wallLive = new WallLive();
