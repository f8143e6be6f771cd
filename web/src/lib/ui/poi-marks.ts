import type { PoiCategory } from '../../../../api/contract/vocabulary.ts';
import { poiColours, ui } from './colours.ts';

// A service point's mark: one character on its category's colour. The map's icons, the legend,
// the popups and the rider's plan all draw it from here.

const glyphs: Record<PoiCategory, string> = {
  party_service_centre: '党',
  clinic: '医',
  pharmacy: '药',
  elderly_canteen: '食',
  elderly_care: '老',
  childrens_home: '童',
  rider_station: '驿',
  grid_home: '格',
  deliberation_corner: '议',
  shared_toolbox: '工',
  shop: '商',
  supermarket: '超',
  school: '学',
  police: '警',
  ebike_charging: '充',
  ebike_parking: '停',
};

export type PoiMark = { colour: string; glyph: string };

/** The mark of a category we do not know (a newer server): a grey dot. */
export const unknownPoiMark: PoiMark = { colour: ui.muted, glyph: '点' };

export const poiMarks = Object.fromEntries(
  Object.entries(glyphs).map(([category, glyph]) => [category, { colour: poiColours[category as PoiCategory], glyph }]),
) as Record<PoiCategory, PoiMark>;

export const poiMarkOf = (category: string): PoiMark => poiMarks[category as PoiCategory] ?? unknownPoiMark;
