import { z } from 'zod';
import { staffRoles } from './vocabulary.ts';
import { usernamePattern } from './accounts.ts';

// The wire shapes of the administration console (/api/admin/…): the roster, kiosk links and
// Open311 API keys. The API checks bodies against the inputs; the web infers its types from both.

/** A phone as a street's roster writes it: digits with spaces or dashes, an optional +, 5–20 characters. */
export const phonePattern = /^\+?[0-9][0-9 -]{4,19}$/;

const name = z.string({ error: 'name is required' }).trim().min(1, { error: 'name is required' }).max(40, { error: 'name must be at most 40 characters' });
const role = z.enum(staffRoles, { error: `role must be one of: ${staffRoles.join(', ')}` });
const areaId = z.string({ error: 'areaId must be an area id' }).trim().min(1, { error: 'areaId is required' }).max(60, { error: 'areaId must be at most 60 characters' });
const phone = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  z.string({ error: 'phone must be text' }).trim().regex(phonePattern, { error: 'phone must be a phone number (digits, spaces, dashes; 5–20 characters)' }).nullable(),
);
const label = z.string({ error: 'label is required' }).trim().min(1, { error: 'label is required: say where the screen hangs or who uses the key' })
  .max(80, { error: 'label must be at most 80 characters' });

/** POST /api/admin/staff: a staff member; with a username, also their account (its password answered once). */
export const NewStaff = z.strictObject({
  name,
  role,
  areaId: areaId.nullable().optional(),
  phone: phone.optional(),
  phonePublic: z.boolean({ error: 'phonePublic must be true or false' }).optional(),
  username: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
    z.string({ error: 'username must be text' }).regex(usernamePattern, { error: 'username must be 2–40 letters, digits, dots, dashes or underscores' }).optional(),
  ),
});
export type NewStaff = z.infer<typeof NewStaff>;

/** PATCH /api/admin/staff/:id: what changes (fields left out stay as they are). */
export const StaffChange = z.strictObject({
  name: name.optional(),
  role: role.optional(),
  areaId: areaId.nullable().optional(),
  phone: phone.optional(),
  phonePublic: z.boolean({ error: 'phonePublic must be true or false' }).optional(),
});
export type StaffChange = z.infer<typeof StaffChange>;

/** One line of the roster. */
export const RosterEntry = z.object({
  id: z.string(), name: z.string(), role: role, areaId: z.string().nullable(), areaName: z.string().nullable(),
  phone: z.string().nullable(), phonePublic: z.boolean(), username: z.string().nullable(), disabled: z.boolean(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** POST /api/admin/kiosks: a wall-screen link for an area. */
export const NewKioskLink = z.strictObject({ label, areaId });
/** POST /api/admin/api-keys: an Open311 key for another system. */
export const NewApiKey = z.strictObject({ label });

/** A kiosk link or API key as listed: never the token itself, only its last four characters. */
export const IssuedLink = z.object({
  id: z.number().int(), label: z.string(), hint: z.string(), createdAt: z.string(), createdBy: z.string().nullable(),
  revokedAt: z.string().nullable(), areaId: z.string().nullable(), areaName: z.string().nullable(),
});
export type IssuedLink = z.infer<typeof IssuedLink>;

/** GET /api/admin/events?limit=: the latest changes. */
export const AdminEvent = z.object({ id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), subject: z.string().nullable(), note: z.string().nullable() });
export type AdminEvent = z.infer<typeof AdminEvent>;
