/** The domain's closed vocabularies (GLOSSARY.md); the UI's Chinese names live in web/src/lib/i18n. */
export const requestCategories = [
  'blocked_drain', 'street_light', 'neighbour_dispute', 'flying_wire_charging', 'clutter', 'parking',
  'leaking_roof', 'elderly_help', 'sanitation', 'heating', 'noise', 'facility_repair', 'other',
] as const;
export type RequestCategory = (typeof requestCategories)[number];

export const requestChannels = ['qr', 'group', 'phone', 'visit', 'rider', 'open311'] as const;

export const poiCategories = [
  'party_service_centre', 'clinic', 'pharmacy', 'elderly_canteen', 'elderly_care', 'childrens_home',
  'rider_station', 'grid_home', 'deliberation_corner', 'shared_toolbox', 'shop', 'supermarket', 'school',
  'police', 'ebike_charging', 'ebike_parking',
] as const;

/**
 * How soon a request must be claimed and resolved (counted from filing), per category: fire
 * hazards and people in need first. Past a deadline the request is overdue and escalates
 * (api/loop/escalation.ts); a poor rating restarts the resolve clock.
 */
export const categoryDeadlines: Record<RequestCategory, { claimMinutes: number; resolveMinutes: number }> = {
  flying_wire_charging: { claimMinutes: 30, resolveMinutes: 24 * 60 },
  elderly_help: { claimMinutes: 60, resolveMinutes: 24 * 60 },
  heating: { claimMinutes: 60, resolveMinutes: 24 * 60 },
  blocked_drain: { claimMinutes: 60, resolveMinutes: 24 * 60 },
  clutter: { claimMinutes: 2 * 60, resolveMinutes: 48 * 60 },
  leaking_roof: { claimMinutes: 2 * 60, resolveMinutes: 72 * 60 },
  noise: { claimMinutes: 2 * 60, resolveMinutes: 48 * 60 },
  sanitation: { claimMinutes: 4 * 60, resolveMinutes: 48 * 60 },
  street_light: { claimMinutes: 4 * 60, resolveMinutes: 72 * 60 },
  parking: { claimMinutes: 4 * 60, resolveMinutes: 72 * 60 },
  neighbour_dispute: { claimMinutes: 4 * 60, resolveMinutes: 7 * 24 * 60 },
  facility_repair: { claimMinutes: 4 * 60, resolveMinutes: 5 * 24 * 60 },
  other: { claimMinutes: 8 * 60, resolveMinutes: 5 * 24 * 60 },
};

export const deadlinesOf = (category: string) =>
  categoryDeadlines[category as RequestCategory] ?? categoryDeadlines.other;
