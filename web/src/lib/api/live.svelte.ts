import type { FeatureCollection, Point } from 'geojson';
import { isOpenStatus } from '../../../../api/contract/vocabulary.ts';
import type { LiveEvent, RequestProperties, RequestView, StaffNotification, ViewArea } from '../../../../api/contract/wire.ts';
import { api } from './client.ts';
import { fetchRequestView, type ViewQuery } from './map.ts';

// The one live-update client: the requests of a view (GET /api/map/requests: markers, or counts
// per area when they do not fit), then every change from the Server-Sent Events stream
// (GET /api/events) applied to the markers shown, keyed by ticket. The map page and the wall both
// read it. The view is read again when it moves, now and then to reconcile (a marker whose event
// was missed while the stream was down, a request re-assigned by a boundary import), and — for
// counts per area, or markers cut at the limit — shortly after events, from the aggregates.

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

const AGGREGATE_DEBOUNCE = 1000; // ms: a burst of events costs one read of the counts

/** What the view holds beyond its markers: how it is drawn and how many requests it matched. */
export type ViewState = Pick<RequestView, 'mode' | 'level' | 'total' | 'limit' | 'shown' | 'bounds'>;

export class LiveRequests {
  /** bumped on every change: readers derive from `requests` after reading it */
  version = $state(0);
  connection = $state<'connecting' | 'live' | 'reconnecting'>('connecting');
  error = $state<unknown>(null);
  readonly requests = new Map<string, LiveRequest>();
  /** the view's mode, counts and limit as last read (null before the first answer) */
  view = $state.raw<ViewState | null>(null);
  /** counts per area when the view is too full for markers */
  areas = $state.raw<ViewArea[]>([]);

  /** The counts per area as points at their label points, for a map's count discs. */
  get areaFeatures(): FeatureCollection<Point> {
    return {
      type: 'FeatureCollection',
      features: this.areas.map(({ lon, lat, ...area }) => ({
        type: 'Feature', id: area.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: area,
      })),
    };
  }
  /** each event as it arrives (the wall's feed and pulse) */
  onEvent: ((event: LiveEvent) => void) | null = null;

  #kiosk: string | null = null;
  #query: ViewQuery = {};
  #source: EventSource | null = null;
  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #debounce: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly reconcileMs = 60_000) {}

  /** The view to show (the map's box and zoom, the wall's area); read at once when started. */
  setView(query: ViewQuery): Promise<void> | undefined {
    this.#query = query;
    return this.#timer ? this.load() : undefined;
  }

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
    if (this.#debounce) clearTimeout(this.#debounce);
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#source?.close();
    this.#source = null;
  }

  /** The view's requests, replacing what the model held. */
  async load() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    try {
      const answer = await fetchRequestView({ ...this.#query, ...(this.#kiosk && { kiosk: this.#kiosk }) }, controller.signal);
      const toldAt = Date.now();
      this.requests.clear();
      for (const { lon, lat, ...p } of answer.markers) {
        this.requests.set(p.ticket, {
          ticket: p.ticket, category: p.category, status: p.status, gridId: p.gridId, communityId: p.communityId,
          lon, lat, overdue: p.overdue, timeLeftMinutes: p.timeLeftMinutes, toldAt, properties: p,
        });
      }
      const { mode, level, total, limit, shown, bounds } = answer;
      this.view = { mode, level, total, limit, shown, bounds };
      this.areas = answer.areas;
      this.error = null;
      this.version++;
    } catch (error) {
      if (!controller.signal.aborted) this.error = error;
    }
  }

  /** Is the event's request one this view shows: inside the box, open or a closed one the view asked for? */
  #inView(event: LiveEvent): boolean {
    const [w, s, e, n] = (this.#query.bbox ?? '-180,-90,180,90').split(',').map(Number);
    if (event.lon < w || event.lon > e || event.lat < s || event.lat > n) return false;
    if (isOpenStatus(event.status)) return true;
    const createdAt = this.requests.get(event.ticket)?.properties.createdAt;
    const day = createdAt && new Date(Date.parse(createdAt) + 8 * 3_600_000).toISOString().slice(0, 10); // Asia/Shanghai
    return !!day && !!this.#query.closedFrom && day >= this.#query.closedFrom && (!this.#query.closedTo || day <= this.#query.closedTo);
  }

  /** One change from the stream: the marker takes its new state, appears or goes; counts are read again shortly. */
  apply(event: LiveEvent) {
    const before = this.requests.get(event.ticket);
    const complete = this.view?.mode === 'markers' && this.view.shown >= this.view.total.open + this.view.total.closed;
    if (!complete) this.#readSoon();
    if (this.view?.mode !== 'areas' && this.#inView(event)) {
      this.requests.set(event.ticket, {
        ticket: event.ticket, category: event.category, status: event.status, gridId: event.gridId, communityId: event.communityId,
        lon: event.lon, lat: event.lat, overdue: event.overdue, timeLeftMinutes: event.timeLeftMinutes, toldAt: Date.now(),
        properties: {
          id: event.ticket, ticket: event.ticket, createdAt: event.at, description: event.description, ...before?.properties,
          category: event.category, status: event.status, gridId: event.gridId, communityId: event.communityId,
          updatedAt: event.at, overdue: event.overdue, timeLeftMinutes: event.timeLeftMinutes,
        },
      });
    } else this.requests.delete(event.ticket);
    // every marker of the view is here: its counts are the markers'
    if (complete && this.view) this.view = { ...this.view, ...countsOf(this.requests.values()) };
    this.version++;
    this.onEvent?.(event);
  }

  #readSoon() {
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.load(), AGGREGATE_DEBOUNCE);
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

/** The view's counts from markers that are all of it. */
function countsOf(requests: Iterable<LiveRequest>): Pick<ViewState, 'total' | 'shown'> {
  const total = { open: 0, overdue: 0, closed: 0 };
  let shown = 0;
  for (const r of requests) {
    shown++;
    if (isOpenStatus(r.status)) total.open++;
    else total.closed++;
    if (r.overdue) total.overdue++;
  }
  return { total, shown };
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
