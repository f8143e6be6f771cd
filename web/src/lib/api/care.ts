import { api, read, signalled, type Answer } from './client.ts';
import type { CareHouseholdEdit, CareHouseholdInput, CareVisitInput } from '../../../../api/contract/care.ts';

// The care ledger (docs/care.md): staff in scope only; every answer is personal data.

const care = api.care;

export type CareList = Answer<typeof care.households.$get>;
export type CareRow = CareList['households'][number];
export type CareCard = Answer<(typeof care.households)[':id']['$get']>;
export type CareDue = Answer<typeof care.due.$get>;
export type CareMap = Answer<typeof care.map.$get>;

export const fetchCareList = (signal?: AbortSignal) => read(care.households.$get({ query: {} }, signalled(signal)));
export const fetchCareDue = (signal?: AbortSignal) => read(care.due.$get({}, signalled(signal)));
export const fetchCareMap = (signal?: AbortSignal) => read(care.map.$get({}, signalled(signal)));
/** One household's card: the server audits the read. */
export const fetchCareCard = (id: number, signal?: AbortSignal) =>
  read(care.households[':id'].$get({ param: { id: String(id) } }, signalled(signal)));
export const recordCareVisit = (id: number, input: CareVisitInput) =>
  read(care.households[':id'].visits.$post({ param: { id: String(id) }, json: input }));
export const editCareHousehold = (id: number, input: CareHouseholdEdit) =>
  read(care.households[':id'].$post({ param: { id: String(id) }, json: input }));
/** The wall's share: households per grid and colour in the kiosk's area. */
export const fetchCareCounts = (kiosk: string | undefined, signal?: AbortSignal) =>
  read(care.counts.$get({ query: kiosk ? { kiosk } : {} }, signalled(signal)));
// household add and edit (issue 11): the form's choices, and the new household
export type CarePlaces = Answer<typeof care.places.$get>;
export const fetchCarePlaces = (signal?: AbortSignal) => read(care.places.$get({}, signalled(signal)));
export const addCareHousehold = (input: CareHouseholdInput) => read(care.households.$post({ json: input }));
