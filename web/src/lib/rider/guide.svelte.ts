import { ApiError } from '../api/client.ts';
import { fetchRiderGuide, findInCompound, type LonLat, type RiderBuilding, type RiderEntrance, type RiderGuide } from '../api/rider.ts';
import { buildingAndUnit } from '../../../../api/contract/address.ts';
import { buildingByNumber, metres } from './plan.ts';
import { lanePath } from './lane-path.ts';

export type Highlight = {
  building: RiderBuilding;
  entrance: RiderEntrance | null;
  gateName: string | null;
  path: LonLat[] | null;
  meters: number | null;
  /** true when the path was worked out on the phone (no network) */
  local: boolean;
};

/** The rider guide for one compound: its layout, and the building a rider is looking for. */
/** The server's word that the building or unit asked for is not there (it says which are). */
const notFoundCodes: ReadonlySet<string> = new Set(['building_not_in_compound', 'unit_not_in_building', 'unparsed_building']);

class RiderGuideState {
  compoundId = $state<string | null>(null);
  guide = $state.raw<RiderGuide | null>(null);
  /** why the guide could not be loaded (an unknown compound, the network): the page words it */
  error = $state<unknown>(null);
  highlight = $state.raw<Highlight | null>(null);
  notFound = $state(false);
  /** the server's refusal naming the buildings or units that do exist, when it gave one */
  notFoundError = $state<unknown>(null);
  finding = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #loadController: AbortController | null = null;
  #findController: AbortController | null = null;

  constructor() {
    if (typeof window === 'undefined') return;
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
  }

  async load(compoundId: string) {
    this.#loadController?.abort();
    const controller = (this.#loadController = new AbortController());
    this.compoundId = compoundId;
    this.guide = null;
    this.highlight = null;
    this.error = null;
    try {
      const guide = await fetchRiderGuide(compoundId, controller.signal);
      if (!controller.signal.aborted) this.guide = guide;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
    }
  }

  clear() {
    this.#findController?.abort();
    this.highlight = null;
    this.notFound = false;
  }

  /** "3号楼2单元": the building (and entrance) highlighted, the path from the nearest gate drawn. */
  async find(text: string) {
    const guide = this.guide;
    if (!guide || !this.compoundId || !text.trim()) return;
    this.#findController?.abort();
    const controller = (this.#findController = new AbortController());
    this.notFound = false;
    this.finding = true;
    try {
      const found = await findInCompound(this.compoundId, text.trim(), controller.signal);
      if (controller.signal.aborted) return;
      const building = guide.buildings.find((b) => b.id === found.building?.id) ?? null;
      if (!building) throw new ApiError('building_not_in_compound', 404);
      const entrance = found.entrance
        ? building.entrances.find((e) => e.unit === found.entrance!.unit) ?? { ...found.entrance }
        : null;
      this.highlight = {
        building,
        entrance,
        gateName: found.gate?.name ?? null,
        path: (found.path?.coordinates as LonLat[] | undefined) ?? null,
        meters: found.meters,
        local: false,
      };
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && notFoundCodes.has(error.code)) {
        // the server's answer names the buildings (or units) that do exist: worth showing
        this.highlight = null;
        this.notFound = true;
        this.notFoundError = error;
        return;
      }
      // offline, or the server could not say: work it out here from the saved layout
      this.highlight = this.#findLocally(guide, text);
      this.notFound = !this.highlight;
      this.notFoundError = null;
    } finally {
      if (!controller.signal.aborted) this.finding = false;
    }
  }

  #findLocally(guide: RiderGuide, text: string): Highlight | null {
    const address = buildingAndUnit(text);
    const building = address && buildingByNumber(guide.buildings, address.building);
    if (!building) return null;
    const entrance = (address.unit && building.entrances.find((e) => e.unit === address.unit)) || building.entrances[0] || null;
    const target: LonLat | null = entrance ? [entrance.lon, entrance.lat] : null;
    if (!target || !guide.gates.length) return { building, entrance, gateName: null, path: null, meters: null, local: true };
    const gate = guide.gates.reduce((best, g) => (metres([g.lon, g.lat], target) < metres([best.lon, best.lat], target) ? g : best));
    const route = lanePath(guide, [gate.lon, gate.lat], target);
    return { building, entrance, gateName: gate.name, path: route?.path ?? null, meters: route?.meters ?? null, local: true };
  }
}

export const riderGuide = new RiderGuideState();
