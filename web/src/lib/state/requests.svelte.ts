import type { FeatureCollection, Point } from 'geojson';
import { fetchRequests, type RequestFeature, type RequestProperties } from '../api/client.ts';
import { eventsUrl, type LiveEvent } from '../loop/api.ts';

// The stream brings every change within a second; the full reload only reconciles (a marker whose
// event this page missed while the stream was down, a request re-assigned by a boundary import).
const RECONCILE_INTERVAL = 60_000; // ms

/** The public request markers: a snapshot, then kept live from GET /api/events. */
class RequestsStore {
  // raw: the collection is replaced whole and handed to MapLibre, never mutated in place
  collection = $state.raw<FeatureCollection<Point, RequestProperties>>({ type: 'FeatureCollection', features: [] });
  error = $state<string | null>(null);
  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #source: EventSource | null = null;

  async load() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    try {
      this.collection = await fetchRequests(controller.signal);
      this.error = null;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** One change from the stream: the request's marker moves to its new status, or appears. */
  apply(event: LiveEvent) {
    const features = this.collection.features;
    const at = features.findIndex((f) => f.properties.id === event.ticket);
    const before = at >= 0 ? features[at].properties : null;
    const feature: RequestFeature = {
      type: 'Feature',
      id: event.ticket,
      geometry: { type: 'Point', coordinates: [event.lon, event.lat] },
      properties: {
        ...(before ?? { description: (event as { description?: string }).description ?? '', channel: '', createdAt: event.at }),
        id: event.ticket, category: event.category, status: event.status, updatedAt: event.at, gridId: event.gridId,
      } as RequestProperties,
    };
    const next = at >= 0 ? features.with(at, feature) : [...features, feature];
    this.collection = { type: 'FeatureCollection', features: next };
  }

  start() {
    void this.load();
    this.#timer ??= setInterval(() => void this.load(), RECONCILE_INTERVAL);
    if (!this.#source && typeof EventSource !== 'undefined') {
      // EventSource resends Last-Event-ID when it reconnects, so a dropped connection misses nothing
      const source = (this.#source = new EventSource(eventsUrl(null)));
      source.addEventListener('request', (message) => this.apply(JSON.parse((message as MessageEvent).data) as LiveEvent));
      source.addEventListener('reset', () => void this.load());
    }
  }

  stop() {
    this.#controller?.abort();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#source?.close();
    this.#source = null;
  }
}

export const requestsStore = new RequestsStore();
