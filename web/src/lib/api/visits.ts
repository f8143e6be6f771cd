import { api, read, signalled, type Answer } from './client.ts';
import type { TrackInput, VisitInput, VisitRequestInput } from '../../../../api/contract/visits.ts';

// Field visits and patrol (docs/visits.md): staff in scope only; findings and tracks are private.

const visits = api.visits;

export type VisitList = Answer<typeof visits.$get>;
export type VisitRow = VisitList['visits'][number];
export type Coverage = Answer<typeof visits.coverage.$get>;
export type Patrol = Answer<(typeof visits.patrols)[':id']['$get']>;
export type PatrolList = Answer<typeof visits.patrols.$get>;
export type ZeroAnswer = Answer<typeof visits.zero.$post>;
export type VisitCard = Answer<(typeof visits)[':id']['$get']>;

const one = (id: number) => ({ param: { id: String(id) } });

export const fetchVisits = (signal?: AbortSignal) => read(visits.$get({ query: {} }, signalled(signal)));
export const fetchCoverage = (month: string | undefined, signal?: AbortSignal) =>
  read(visits.coverage.$get({ query: month ? { month } : {} }, signalled(signal)));
export const fetchPatrols = (signal?: AbortSignal) => read(visits.patrols.$get({ query: {} }, signalled(signal)));
export const fetchZeroReports = (signal?: AbortSignal) => read(visits.zero.$get({ query: {} }, signalled(signal)));

/** One visit with its finding and photos: the server audits the read. */
export const fetchVisit = (id: number, signal?: AbortSignal) => read(visits[':id'].$get(one(id), signalled(signal)));
export const logVisit = (input: VisitInput) => read(visits.$post({ json: input }));
/** A photo of the visit (multipart: the typed client sends the form as the body). */
export function addVisitPhoto(id: number, photo: Blob) {
  const form = new FormData();
  form.set('photo', new File([photo], 'photo.jpg', { type: photo.type || 'image/jpeg' }));
  return read(visits[':id'].photos.$post(one(id), { init: { ...signalled().init, method: 'POST', body: form } }));
}
/** The finding as a request of the loop (channel visit); a second tap answers the same ticket. */
export const fileFromVisit = (id: number, input: VisitRequestInput) => read(visits[':id'].request.$post({ ...one(id), json: input }));
export const reportZero = (note?: string) => read(visits.zero.$post({ json: note ? { note } : {} }));

export const startPatrol = () => read(visits.patrols.$post({}));
export const fetchPatrol = (id: number, signal?: AbortSignal) => read(visits.patrols[':id'].$get(one(id), signalled(signal)));
export const sendTrack = (id: number, points: TrackInput['points']) => read(visits.patrols[':id'].track.$post({ ...one(id), json: { points } }));
export const stopPatrol = (id: number) => read(visits.patrols[':id'].stop.$post(one(id)));
