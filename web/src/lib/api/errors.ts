import type { Messages } from '../i18n/zh-CN.ts';
import { ApiError } from './client.ts';

// What a failed call says to its user: the API's stable code worded in the reader's language
// (web/src/lib/i18n: `errors`, `fieldNames`), never the API's English text and never parsed from it.

/** The message for a failed call in the catalogue `t` (i18n.t); anything not from the API reads as a network failure. */
export function errorText(error: unknown, t: Messages): string {
  if (!(error instanceof ApiError)) return t.errors.network({});
  if (error.code === 'unexpected') return t.errors.internal({});
  const details = error.details;
  const field = typeof details.field === 'string' ? details.field : undefined;
  return t.errors[error.code]({
    ...details,
    fieldName: field ? (t.fieldNames[field] ?? field) : undefined,
  });
}

/** The field an error is about, to focus and mark it. */
export const errorField = (error: unknown): string | undefined =>
  error instanceof ApiError && typeof error.details.field === 'string' ? error.details.field : undefined;
