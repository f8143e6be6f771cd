import type { PoiCategory } from '../../../../api/contract/vocabulary.ts';

/**
 * The resident page's category chips: each groups the service-point categories (api/contract/vocabulary.ts) a
 * resident thinks of as one ("医疗" = clinics and pharmacies). An empty list asks for every kind.
 */
export const serviceGroups: { key: string; categories: PoiCategory[] }[] = [
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
