import type { PoiProperties, RequestProperties } from '../../../../api/contract/wire.ts';
import { fetchArea, fetchItem } from '../api/collections.ts';
import { fetchStaffRequest, type StaffRequest } from '../api/loop.ts';
import { session } from '../api/session.svelte.ts';
import type { MarkerProperties } from '../api/live.svelte.ts';
import { errorText } from '../api/errors.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

export type { PoiProperties, RequestProperties };
export type AreaDetails = Awaited<ReturnType<typeof fetchArea>>;
/** What a vector tile's feature carries (api/routes/tiles.ts: layerFields), not the whole record. */
export type BuildingProperties = { id: string; number?: string; name?: string; floors?: number; units?: number; use?: string };
export type AreaProperties = { id: string; name: string; level: string; kind?: string };

/** What the user clicked, with the details fetched for it. */
export type Selected =
  | { kind: 'area'; feature: AreaProperties; details: AreaDetails | null }
  | { kind: 'poi'; feature: PoiProperties; details: PoiProperties | null }
  /** `details`: the staff view (assignee), when the viewer is signed in and the request is in their scope */
  | { kind: 'request'; feature: MarkerProperties; details?: StaffRequest | null }
  | { kind: 'building'; feature: BuildingProperties };

/** The feature shown in the popup. Selecting another aborts the previous detail fetch. */
class Selection {
  current = $state<Selected | null>(null);
  lngLat = $state<[number, number] | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  #controller: AbortController | null = null;
  #token = 0;

  select(selected: Selected, lngLat: [number, number]) {
    this.#controller?.abort();
    this.#token++;
    this.current = selected;
    this.lngLat = lngLat;
    this.error = null;
    this.loading = false;
    if (selected.kind === 'area') void this.#fetchDetails(() => fetchArea(selected.feature.id, this.#signal()));
    if (selected.kind === 'poi') void this.#fetchDetails(async () => (await fetchItem('pois', selected.feature.id, this.#signal())).properties);
    if (selected.kind === 'request') void this.#staffView(selected.feature.ticket);
  }

  clear() {
    this.#controller?.abort();
    this.#token++;
    this.current = null;
    this.lngLat = null;
  }

  /** who holds the request: only staff may know, so only a signed-in viewer asks (out of scope: nothing shown) */
  async #staffView(ticket: string) {
    const token = this.#token;
    if (!session.checked) await session.check().catch(() => {});
    if (!session.user || token !== this.#token) return;
    try {
      const details = await fetchStaffRequest(ticket, this.#signal());
      if (token === this.#token && this.current?.kind === 'request') this.current = { ...this.current, details };
    } catch {
      // not in this staff member's scope, or gone: the public fields stay
    }
  }

  #signal(): AbortSignal {
    this.#controller = new AbortController();
    return this.#controller.signal;
  }

  async #fetchDetails(load: () => Promise<AreaDetails | PoiProperties | StaffRequest>) {
    const token = ++this.#token;
    this.loading = true;
    try {
      const details = await load();
      // a newer click may have replaced the selection while we waited
      if (token !== this.#token || !this.current || !('details' in this.current)) return;
      this.current = { ...this.current, details } as Selected;
    } catch (error) {
      if (token !== this.#token || (error instanceof DOMException && error.name === 'AbortError')) return;
      this.error = errorText(error, i18n.t);
    } finally {
      if (token === this.#token) this.loading = false;
    }
  }
}

export const selection = new Selection();
