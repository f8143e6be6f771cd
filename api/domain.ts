/** The domain's closed vocabularies (GLOSSARY.md); the UI's Chinese names live in web/src/lib/i18n. */
export const requestCategories = [
  'blocked_drain', 'street_light', 'neighbour_dispute', 'flying_wire_charging', 'clutter', 'parking',
  'leaking_roof', 'elderly_help', 'sanitation', 'heating', 'noise', 'facility_repair', 'other',
] as const;
export type RequestCategory = (typeof requestCategories)[number];

export const requestChannels = ['qr', 'group', 'phone', 'visit', 'rider'] as const;

export const poiCategories = [
  'party_service_centre', 'clinic', 'pharmacy', 'elderly_canteen', 'elderly_care', 'childrens_home',
  'rider_station', 'grid_home', 'deliberation_corner', 'shared_toolbox', 'shop', 'supermarket', 'school',
  'police', 'ebike_charging', 'ebike_parking',
] as const;
