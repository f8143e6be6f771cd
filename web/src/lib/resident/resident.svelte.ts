import { errorText } from '../api/errors.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { fetchNearby, locate, type Located, type NearbyService } from '../api/residents.ts';
import { serviceGroups } from './categories.ts';

export type Place = {
  lon: number; lat: number; label: string | null; source: 'gps' | 'map' | 'search' | 'link';
  /** the building found by search: the report carries it to staff (issue 10) */
  buildingId?: string | null;
};

const PLACE_KEY = 'gm-resident-place';

/**
 * The resident page's state: where the resident is, the services near there for the chosen
 * chip, and their grid. Moving the place or changing the chip aborts the calls still running.
 */
class ResidentState {
  place = $state<Place | null>(readSavedPlace());
  group = $state('all');
  services = $state<NearbyService[]>([]);
  servicesLoading = $state(false);
  servicesError = $state<string | null>(null);
  located = $state<Located | null>(null);
  locateError = $state<string | null>(null);
  /** the nearest grid home and party-mass service centre, whatever the chip */
  anchors = $state<NearbyService[]>([]);
  #placeController: AbortController | null = null;
  #servicesController: AbortController | null = null;

  setPlace(place: Place) {
    this.place = place;
    try {
      localStorage.setItem(PLACE_KEY, JSON.stringify(place));
    } catch {
      // not remembered in private mode
    }
    this.refresh();
  }

  setGroup(key: string) {
    this.group = key;
    void this.#loadServices();
  }

  /** Loads everything for the current place (called on start with a remembered place, too). */
  refresh() {
    void this.#loadPlace();
    void this.#loadServices();
  }

  async #loadPlace() {
    this.#placeController?.abort();
    const controller = (this.#placeController = new AbortController());
    const place = this.place;
    if (!place) return;
    this.located = null;
    this.locateError = null;
    this.anchors = [];
    const [located, anchors] = await Promise.allSettled([
      locate(place.lon, place.lat, controller.signal),
      fetchNearby(place.lon, place.lat, ['grid_home', 'party_service_centre'], 10, controller.signal),
    ]);
    if (controller.signal.aborted) return;
    if (located.status === 'fulfilled') this.located = located.value;
    else this.locateError = messageOf(located.reason);
    if (anchors.status === 'fulfilled') {
      const results = anchors.value.results;
      this.anchors = ['grid_home', 'party_service_centre']
        .map((category) => results.find((r) => r.category === category))
        .filter((r): r is NearbyService => !!r);
    }
  }

  async #loadServices() {
    this.#servicesController?.abort();
    const controller = (this.#servicesController = new AbortController());
    const place = this.place;
    if (!place) return;
    const categories = serviceGroups.find((g) => g.key === this.group)?.categories ?? [];
    this.servicesLoading = true;
    this.servicesError = null;
    try {
      const answer = await fetchNearby(place.lon, place.lat, categories, 20, controller.signal);
      if (controller.signal.aborted) return;
      this.services = answer.results;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.services = [];
      this.servicesError = messageOf(error);
    } finally {
      if (!controller.signal.aborted) this.servicesLoading = false;
    }
  }
}

/** A failed call in the resident's language (by the API's code, never its English text). */
const messageOf = (error: unknown) => errorText(error, i18n.t);

function readSavedPlace(): Place | null {
  try {
    const saved = JSON.parse(localStorage.getItem(PLACE_KEY) ?? 'null') as Place | null;
    return saved && Number.isFinite(saved.lon) && Number.isFinite(saved.lat) ? saved : null;
  } catch {
    return null;
  }
}

export const resident = new ResidentState();
