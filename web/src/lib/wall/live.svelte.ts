import type { Feature, FeatureCollection, Point } from 'geojson';
import { eventsUrl, fetchStats, LoopApiError, type LiveEvent, type Stats } from '../loop/api.ts';
import { urgencyOf, type Urgency } from '../loop/time-left.ts';

// The wall screen's live data: figures from /api/stats, markers and the feed from the SSE stream
// (GET /api/events), with the public request collection as the starting snapshot of open markers.

const OPEN = new Set(['collected', 'claimed', 'deliberating', 'resolving']);
const FEED_LENGTH = 30;
const STATS_INTERVAL = 60_000; // ms; also reloaded shortly after every event
const STATS_DEBOUNCE = 800; // ms: a burst of events costs one reload

export type Marker = {
  ticket: string;
  category: string;
  status: string;
  gridId: string | null;
  /** the server's word (public collection or stream), by the loop's own deadline rule */
  overdue: boolean;
  /** minutes left on the step the request waits on when the server said so; null = no clock */
  timeLeftMinutes: number | null;
  /** when the server said so (ms), to count the minutes down while the screen stays up */
  toldAt: number;
};

/**
 * How urgent a marker is now: the server's time left (api/loop/deadlines.ts, as the worker's queue
 * sees it), less the minutes since it was told; overdue once the server said so or the time ran out.
 */
export function markerUrgency(m: Marker, now = Date.now()): { urgency: Urgency; minutes: number | null } {
  const minutes = m.timeLeftMinutes == null ? null : m.timeLeftMinutes - Math.max(0, Math.floor((now - m.toldAt) / 60_000));
  return { urgency: urgencyOf(minutes, m.overdue), minutes };
}

type RequestItem = Feature<Point, {
  id: string; category: string; status: string; gridId: string | null; communityId?: string | null;
  timeLeftMinutes: number | null; overdue: boolean;
}>;

class WallLive {
  kiosk: string | null = null;
  stats = $state.raw<Stats | null>(null);
  statsError = $state<{ status: number; message: string } | null>(null);
  feed = $state.raw<LiveEvent[]>([]);
  connection = $state<'connecting' | 'live' | 'reconnecting'>('connecting');
  /** bumped whenever markers change: the map redraws from `collection()` */
  version = $state(0);
  markers = new Map<string, Marker>();
  /** tickets that just arrived or changed, for the map to pulse */
  onChange: ((ticket: string) => void) | null = null;

  #source: EventSource | null = null;
  #controller = new AbortController();
  #statsTimer: ReturnType<typeof setInterval> | null = null;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #statsController: AbortController | null = null;

  async start(kiosk: string | null) {
    this.kiosk = kiosk;
    this.#controller = new AbortController();
    await this.loadStats();
    if (this.statsError) return;
    this.#statsTimer = setInterval(() => void this.loadStats(), STATS_INTERVAL);
    this.feed = this.stats?.latest ?? [];
    await this.loadSnapshot();
    this.connect();
  }

  stop() {
    this.#controller.abort();
    this.#statsController?.abort();
    this.#source?.close();
    this.#source = null;
    if (this.#statsTimer) clearInterval(this.#statsTimer);
    if (this.#debounce) clearTimeout(this.#debounce);
  }

  async loadStats() {
    this.#statsController?.abort();
    const controller = (this.#statsController = new AbortController());
    try {
      this.stats = await fetchStats(this.kiosk, controller.signal);
      this.statsError = null;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.statsError = error instanceof LoopApiError ? { status: error.status, message: error.message } : { status: 0, message: String(error) };
    }
  }

  /** Open requests of the screen's grids, from the public collection (no contact, no names). */
  async loadSnapshot() {
    const grids = new Set(this.stats?.grids.map((g) => g.id) ?? []);
    const response = await fetch('/api/collections/requests/items?limit=10000', { signal: this.#controller.signal });
    if (!response.ok) return;
    const items = (await response.json()) as FeatureCollection<Point, RequestItem['properties']>;
    const toldAt = Date.now();
    this.markers.clear();
    for (const f of items.features) {
      const p = f.properties;
      if (!OPEN.has(p.status) || !p.gridId || !grids.has(p.gridId)) continue;
      this.markers.set(p.id, {
        ticket: p.id, category: p.category, status: p.status, gridId: p.gridId,
        overdue: p.overdue === true, timeLeftMinutes: p.timeLeftMinutes ?? null, toldAt,
      });
    }
    this.#coords = new Map(items.features.map((f) => [f.properties.id, f.geometry.coordinates as [number, number]]));
    this.version++;
  }

  #coords = new Map<string, [number, number]>();

  connect() {
    this.#source?.close();
    // EventSource resends Last-Event-ID itself when it reconnects, so nothing is missed
    const source = (this.#source = new EventSource(eventsUrl(this.kiosk)));
    source.onopen = () => (this.connection = 'live');
    source.onerror = () => (this.connection = 'reconnecting');
    source.addEventListener('request', (message) => this.apply(JSON.parse((message as MessageEvent).data) as LiveEvent));
    // the screen fell too far behind to replay: take a fresh snapshot and go on live
    source.addEventListener('reset', () => void this.loadSnapshot().then(() => this.loadStats()));
  }

  apply(event: LiveEvent) {
    if (OPEN.has(event.status)) {
      this.markers.set(event.ticket, {
        ticket: event.ticket,
        category: event.category,
        status: event.status,
        gridId: event.gridId,
        overdue: event.overdue,
        timeLeftMinutes: event.timeLeftMinutes ?? null,
        toldAt: Date.now(),
      });
      this.#coords.set(event.ticket, [event.lon, event.lat]);
      this.onChange?.(event.ticket);
    } else {
      this.markers.delete(event.ticket);
    }
    this.version++;
    this.feed = [event, ...this.feed.filter((e) => e.id !== event.id)].slice(0, FEED_LENGTH);
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.loadStats(), STATS_DEBOUNCE);
  }

  /** The markers as GeoJSON for the map, with their urgency worked out now. */
  collection(now = Date.now()): FeatureCollection<Point> {
    const features: Feature<Point>[] = [];
    for (const m of this.markers.values()) {
      const at = this.#coords.get(m.ticket);
      if (!at) continue;
      const { urgency, minutes } = markerUrgency(m, now);
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: at },
        properties: { ticket: m.ticket, category: m.category, status: m.status, urgency, timeLeftMinutes: minutes },
      });
    }
    return { type: 'FeatureCollection', features };
  }
}

export const wallLive = new WallLive();
