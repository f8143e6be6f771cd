import { poiCategories } from '../../../../api/contract/vocabulary.ts';
import type { LayerGroup } from '../ui/map/groups.ts';

/** Which layers the user has switched on. The map follows these; the panel edits them. */
class LayerToggles {
  grids = $state(true);
  microgrids = $state(true);
  buildings = $state(true);
  pois = $state(true);
  requests = $state(true);
  /** Finished requests (archived, rejected, duplicate) are hidden unless asked for. */
  closedRequests = $state(false);
  /** …and then those filed in the last so many days (the map reads closed ones by date, issue 12) */
  closedDays = $state(30);
  /** Service-point categories shown; all by default. */
  poiCategories = $state<string[]>([...poiCategories]);

  /** The groups of style layers (see `metadata.group` in the style) and whether each is on. */
  get groups(): Record<LayerGroup, boolean> {
    return {
      grids: this.grids,
      microgrids: this.microgrids,
      buildings: this.buildings,
      pois: this.pois,
      requests: this.requests,
    };
  }

  toggleCategory(category: string) {
    this.poiCategories = this.poiCategories.includes(category)
      ? this.poiCategories.filter((c) => c !== category)
      : [...this.poiCategories, category];
  }
}

export const layerToggles = new LayerToggles();
