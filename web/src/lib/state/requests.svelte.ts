import type { FeatureCollection, Point } from 'geojson';
import { fetchRequests, type RequestProperties } from '../api/client.ts';

const REFRESH_INTERVAL = 15_000; // ms; until the API pushes new requests, poll for them

/** The public request markers, reloaded every few seconds; a reload in flight is aborted by the next. */
class RequestsStore {
  // raw: the collection is replaced whole and handed to MapLibre, never mutated in place
  collection = $state.raw<FeatureCollection<Point, RequestProperties>>({ type: 'FeatureCollection', features: [] });
  error = $state<string | null>(null);
  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

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

  start() {
    void this.load();
    this.#timer ??= setInterval(() => void this.load(), REFRESH_INTERVAL);
  }

  stop() {
    this.#controller?.abort();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

export const requestsStore = new RequestsStore();
