/**
 * The resident page's category chips: each groups the service-point categories (api/domain.ts) a
 * resident thinks of as one ("医疗" = clinics and pharmacies). An empty list asks for every kind.
 */
export const serviceGroups: { key: string; categories: string[] }[] = [
  { key: 'all', categories: [] },
  { key: 'medical', categories: ['clinic', 'pharmacy'] },
  { key: 'elderly', categories: ['elderly_care', 'elderly_canteen'] },
  { key: 'canteen', categories: ['elderly_canteen'] },
  { key: 'childcare', categories: ['childrens_home'] },
  { key: 'rider', categories: ['rider_station'] },
  { key: 'deliberation', categories: ['deliberation_corner'] },
  { key: 'toolbox', categories: ['shared_toolbox'] },
  { key: 'shops', categories: ['shop', 'supermarket'] },
  { key: 'community', categories: ['party_service_centre', 'grid_home'] },
];

/** The request categories a resident picks from, most frequent first (big buttons on /report). */
export const reportCategories = [
  'street_light', 'blocked_drain', 'sanitation', 'clutter', 'flying_wire_charging', 'facility_repair',
  'leaking_roof', 'parking', 'noise', 'heating', 'elderly_help', 'neighbour_dispute', 'other',
] as const;

/** The two hazards a rider reports from the gate (龙骑先锋 随身拍). */
export const riderHazards = ['flying_wire_charging', 'clutter'] as const;
