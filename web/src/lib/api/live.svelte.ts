import type { FeatureCollection, Point } from 'geojson';
import { isOpenStatus } from '../../../../api/contract/vocabulary.ts';
import type { LiveEvent, RequestProperties, StaffNotification } from '../../../../api/contract/wire.ts';
import { api } from './client.ts';
import { fetchItems } from './collections.ts';

// The one live-update client: a snapshot of the public requests, then every change from the
// Server-Sent Events stream (GET /api/events) applied to one model keyed by ticket. The map page
// and the wall both read it; the snapshot is taken again now and then to reconcile (a marker whose
// event was missed while the stream was down, a request re-assigned by a boundary import).

/** A request as the live pages know it: enough to place, colour and count it. */
export type LiveRequest = {
  ticket: string;
  category: string;
  status: string;
  gridId: string | null;
  communityId: string | null;
  lon: number;
  lat: number;
  /** the server's word (snapshot or stream), by the loop's own deadline rule */
  overdue: boolean;
  /** minutes left on the step the request waits on when the server said so; null = no clock */
  timeLeftMinutes: number | null;
  /** when the server said so (ms), to count the minutes down while the page stays open */
  toldAt: number;
  /** the public properties (the map's popups): the snapshot's, or what the stream told of a new one */
  properties: MarkerProperties;
};

/** What a marker knows for sure, and the rest of the public request once the snapshot brought it. */
export type MarkerProperties = Pick<RequestProperties, 'id' | 'ticket' | 'category' | 'status' | 'createdAt' | 'description'> & Partial<RequestProperties>;

/** The stream's URL for a viewer: public, a kiosk's area, or the signed-in staff member's scope (cookie). */
export const eventsUrl = (kiosk: string | null) => api.events.$url({ query: kiosk ? { kiosk } : {} }).href;

const SNAPSHOT_LIMIT = 10_000; // the public collection's own cap per call

export class LiveRequests {
  /** bumped on every change: readers derive from `requests` after reading it */
  version = $state(0);
  connection = $state<'connecting' | 'live' | 'reconnecting'>('connecting');
  error = $state<unknown>(null);
  readonly requests = new Map<string, LiveRequest>();
  /** each event as it arrives (the wall's feed and pulse) */
  onEvent: ((event: LiveEvent) => void) | null = null;

  #kiosk: string | null = null;
  #source: EventSource | null = null;
  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly reconcileMs = 60_000) {}

  start(kiosk: string | null = null): Promise<void> {
    this.#kiosk = kiosk;
    const first = this.load();
    this.#timer ??= setInterval(() => void this.load(), this.reconcileMs);
    if (!this.#source && typeof EventSource !== 'undefined') {
      // EventSource resends Last-Event-ID itself when it reconnects, so a dropped connection misses nothing
      const source = (this.#source = new EventSource(eventsUrl(this.#kiosk)));
      source.onopen = () => (this.connection = 'live');
      source.onerror = () => (this.connection = 'reconnecting');
      source.addEventListener('request', (message) => this.apply(JSON.parse((message as MessageEvent).data) as LiveEvent));
      // too far behind to replay: take a fresh snapshot and go on live
      source.addEventListener('reset', () => void this.load());
    }
    return first;
  }

  stop() {
    this.#controller?.abort();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#source?.close();
    this.#source = null;
  }

  /** The snapshot: every public request, replacing what the model held. */
  async load() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    try {
      const items = await fetchItems('requests', SNAPSHOT_LIMIT, controller.signal);
      const toldAt = Date.now();
      this.requests.clear();
      for (const f of items.features) {
        const p = f.properties;
        const [lon, lat] = f.geometry.coordinates;
        this.requests.set(p.ticket, {
          ticket: p.ticket, category: p.category, status: p.status, gridId: p.gridId, communityId: p.communityId,
          lon, lat, overdue: p.overdue, timeLeftMinutes: p.timeLeftMinutes, toldAt, properties: p,
        });
      }
      this.error = null;
      this.version++;
    } catch (error) {
      if (!controller.signal.aborted) this.error = error;
    }
  }

  /** One change from the stream: the request takes its new state, or appears. */
  apply(event: LiveEvent) {
    const before = this.requests.get(event.ticket);
    this.requests.set(event.ticket, {
      ticket: event.ticket, category: event.category, status: event.status, gridId: event.gridId, communityId: event.communityId,
      lon: event.lon, lat: event.lat, overdue: event.overdue, timeLeftMinutes: event.timeLeftMinutes, toldAt: Date.now(),
      properties: {
        id: event.ticket, ticket: event.ticket, createdAt: event.at, description: event.description, ...before?.properties,
        category: event.category, status: event.status, gridId: event.gridId, communityId: event.communityId,
        updatedAt: event.at, overdue: event.overdue, timeLeftMinutes: event.timeLeftMinutes,
      },
    });
    this.version++;
    this.onEvent?.(event);
  }

  /** The requests as GeoJSON for a map layer, keeping those `keep` accepts. */
  features(keep: (r: LiveRequest) => boolean = () => true, extra: (r: LiveRequest) => Record<string, unknown> = () => ({})): FeatureCollection<Point> {
    void this.version; // a reader inside an effect re-runs on every change
    const features = [];
    for (const r of this.requests.values()) {
      if (!keep(r)) continue;
      features.push({
        type: 'Feature' as const,
        id: r.ticket,
        geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
        properties: {
          ...r.properties, id: r.ticket, ticket: r.ticket, category: r.category, status: r.status, gridId: r.gridId,
          overdue: r.overdue, timeLeftMinutes: r.timeLeftMinutes, ...extra(r),
        },
      });
    }
    return { type: 'FeatureCollection', features };
  }
}

/** Open requests only: the wall's markers, the queue's load. */
export const isOpen = (r: LiveRequest) => isOpenStatus(r.status);

// ---- staff notifications (issue 9 §4): the signed-in staff member's own stream, never the public or kiosk one

/**
 * Opens the staff member's notification stream (the session cookie says whose); `onopen` runs on
 * every (re)connection, when the caller reads its list again for what it missed. Returns the closer.
 */
export function openNotificationStream(onnotification: (n: StaffNotification) => void, onopen: () => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(api.notifications.stream.$url().href);
  source.onopen = onopen;
  source.addEventListener('notification', (message) => onnotification(JSON.parse((message as MessageEvent).data) as StaffNotification));
  return () => source.close();
}

/**
 * The signed-in staff member's stream (the session's cookie: their own scope) as a bare signal:
 * `onchange` runs on every change in it and when the server says we fell too far behind. The
 * worker's queue reloads on it (issue 10). Returns a function that closes the stream.
 */
export function watchStaffStream(onchange: () => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(eventsUrl(null));
  source.addEventListener('request', onchange);
  source.addEventListener('reset', onchange);
  return () => source.close();
}
