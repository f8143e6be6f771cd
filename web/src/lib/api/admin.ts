import { api, read, signalled, type Answer } from './client.ts';
import type { NewStaff, StaffChange } from '../../../../api/contract/admin.ts';

// The administration console's calls (/api/admin, api/routes/admin.ts): the roster, kiosk links,
// Open311 keys and the audit trail. Secrets come back once, in the answer that makes them.

const admin = api.admin;

export const fetchRoster = (signal?: AbortSignal) => read(admin.staff.$get(undefined, signalled(signal)));
export type Roster = Answer<typeof admin.staff.$get>;
export type RosterEntry = Roster['staff'][number];
export type ManagedArea = Roster['areas'][number];

export const addStaff = (input: NewStaff) => read(admin.staff.$post({ json: input }));
export const updateStaff = (id: string, change: StaffChange) => read(admin.staff[':id'].$patch({ param: { id }, json: change }));
export const disableStaff = (id: string) => read(admin.staff[':id'].disable.$post({ param: { id } }));
export const enableStaff = (id: string) => read(admin.staff[':id'].enable.$post({ param: { id } }));
export const resetStaffPassword = (id: string) => read(admin.staff[':id']['reset-password'].$post({ param: { id } }));

export const fetchKioskLinks = (signal?: AbortSignal) => read(admin.kiosks.$get(undefined, signalled(signal)));
export type KioskLink = Answer<typeof admin.kiosks.$get>['kiosks'][number];
export const createKioskLink = (input: { label: string; areaId: string }) => read(admin.kiosks.$post({ json: input }));
export const revokeKioskLink = (id: number) => read(admin.kiosks[':id'].revoke.$post({ param: { id: String(id) } }));

export const fetchApiKeys = (signal?: AbortSignal) => read(admin['api-keys'].$get(undefined, signalled(signal)));
export const createApiKey = (label: string) => read(admin['api-keys'].$post({ json: { label } }));
export const revokeApiKey = (id: number) => read(admin['api-keys'][':id'].revoke.$post({ param: { id: String(id) } }));

export const fetchAdminEvents = (signal?: AbortSignal) => read(admin.events.$get({ query: {} }, signalled(signal)));

// the 花名册 from Excel: the template is a plain link (a download), the file goes as multipart `file`
export const rosterTemplateUrl = () => admin.staff.template.$url().href;
const withFile = (file: File, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.set('file', file, file.name);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return { init: { method: 'POST', body: form, credentials: 'same-origin' as const } };
};
export const previewRosterImport = (file: File) => read(admin.staff.import.preview.$post(undefined, withFile(file)));
export const importRoster = (file: File) => read(admin.staff.import.$post(undefined, withFile(file)));
export type RosterPreview = Awaited<ReturnType<typeof previewRosterImport>>['preview'];

// place layers in and out (issue 8 §2–3): layer, crs, mapping (JSON) and parent beside the file
export const previewLayerImport = (file: File, fields: Record<string, string>) => read(admin.import.preview.$post(undefined, withFile(file, fields)));
export const importLayer = (file: File, fields: Record<string, string>) => read(admin.import.$post(undefined, withFile(file, fields)));
export type LayerPreview = Awaited<ReturnType<typeof previewLayerImport>>['preview'];
export type LayerReport = LayerPreview['report'];
export const layerExportUrl = (file: string) => admin.export[':file'].$url({ param: { file } }).href;

// area boundaries from the console (issue 8 §2): dryRun checks and writes nothing
export const importAreaFile = (file: File, fields: Record<string, string>) => read(admin.import.areas.$post(undefined, withFile(file, fields)));
export type AreaImportReport = Awaited<ReturnType<typeof importAreaFile>>['report'];

// the import as a job polled for its progress bar (issue 8 §2, api/import/jobs.ts)
export const startLayerImport = (file: File, fields: Record<string, string>) => read(admin.import.jobs.$post(undefined, withFile(file, fields)));
export const fetchImportJob = (id: string) => read(admin.import.jobs[':id'].$get({ param: { id } }));
export type ImportJob = Awaited<ReturnType<typeof fetchImportJob>>['job'];
// editing on the map (issue 8 §2, api/routes/place-edits.ts): what may be changed, a point moved,
// a building's number or units, an area's outline (refused with its problems, nothing written)
export const fetchEditableMap = (signal?: AbortSignal) => read(admin.places.map.$get(undefined, signalled(signal)));
export type EditableMap = Answer<typeof admin.places.map.$get>;
export const movePlace = (layer: string, id: string, geometry: GeoJSON.Point) =>
  read(admin.places[':layer'][':id'].position.$post({ param: { layer, id }, json: { geometry } }));
export const changeBuilding = (id: string, change: { number?: string | null; units?: number | null }) =>
  read(admin.places.buildings[':id'].$post({ param: { id }, json: change }));
export const reshapeArea = (id: string, geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon) =>
  read(admin.areas[':id'].outline.$post({ param: { id }, json: { geometry } }));
export type Reshaped = Awaited<ReturnType<typeof reshapeArea>>;
