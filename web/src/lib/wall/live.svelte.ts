import type { Feature, FeatureCollection, Point } from 'geojson';
import { deadlinesOf } from '../../../../api/domain.ts';
import { eventsUrl, fetchStats, LoopApiError, type LiveEvent, type Stats } from '../loop/api.ts';
import { minutesUntil, urgencyOf, type Urgency } from '../loop/time-left.ts';

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
  createdAt: string;
  gridId: string | null;
  /** the server's word (stream) when we have one; null = not told yet */
  overdue: boolean | null;
  timeLeftMinutes: number | null;
};

/**
 * Time left on the step the request waits on, counted from filing as the API does (api/domain.ts):
 * claim while collected, resolve after. The server's `overdue` flag, when the stream gave one, wins.
 */
export function markerUrgency(m: Marker, now = Date.now()): { urgency: Urgency; minutes: number | null } {
  let minutes = m.timeLeftMinutes;
  if (minutes == null) {
    const d = deadlinesOf(m.category);
    const limit = m.status === 'collected' ? d.claimMinutes : d.resolveMinutes;
    const left = minutesUntil(m.createdAt, now);
    minutes = left == null ? null : left + limit;
  }
  if (m.overdue === true) return { urgency: 'overdue', minutes };
  if (m.overdue === false && minutes != null && minutes < 0) return { urgency: 'urgent', minutes }; // a reopened clock
  return { urgency: urgencyOf(minutes), minutes };
}

type RequestItem = Feature<Point, { id: string; category: string; status: string; createdAt: string; gridId: string | null; communityId?: string | null }>;

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
    this.markers.clear();
    for (const f of items.features) {
      const p = f.properties;
      if (!OPEN.has(p.status) || !p.gridId || !grids.has(p.gridId)) continue;
      this.markers.set(p.id, {
        ticket: p.id, category: p.category, status: p.status, createdAt: p.createdAt, gridId: p.gridId,
        overdue: null, timeLeftMinutes: null,
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
    const known = this.markers.get(event.ticket);
    if (OPEN.has(event.status)) {
      this.markers.set(event.ticket, {
        ticket: event.ticket,
        category: event.category,
        status: event.status,
        createdAt: known?.createdAt ?? event.at,
        gridId: event.gridId,
        overdue: event.overdue,
        timeLeftMinutes: event.timeLeftMinutes ?? null,
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
