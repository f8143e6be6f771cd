import { api, read, signalled } from './client.ts';

// The requests of a map's view (GET /api/map/requests, issue 12 §2): markers or counts per area.

/** What a map asks for: its box and zoom, an area (or a kiosk's), closed ones filed on these days, at most `limit` markers. */
export type ViewQuery = {
  bbox?: string; zoom?: string; area?: string; kiosk?: string; closedFrom?: string; closedTo?: string; limit?: string;
};

export const fetchRequestView = (query: ViewQuery, signal?: AbortSignal) => read(api.map.requests.$get({ query }, signalled(signal)));
