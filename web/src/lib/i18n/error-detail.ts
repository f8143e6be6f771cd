import type { ErrorCode } from '../../../../api/contract/errors.ts';

/** What an error message may say: the API's details (api/contract/errors.ts) and the field's name in the reader's language. */
export type ErrorDetail = Record<string, unknown> & {
  fieldName?: string;
  minimum?: number;
  maximum?: number;
  meters?: number;
  assigneeName?: string | null;
  retryAfter?: number; // seconds (rate_limited, sign_in_throttled)
  triesLeft?: number; // wrong_credentials: tries left on this device
  compound?: string;
  number?: string;
  buildings?: string[];
  building?: string;
  unit?: string;
  units?: number[];
  action?: string;
  /** outside_service_area: the nearest street, which way (n, ne, …) and how far from the pin */
  street?: string;
  direction?: string;
  retryAfterMinutes?: number; // issue 10: too_many_attempts
};

export type ErrorMessages = Record<ErrorCode | 'network', (d: ErrorDetail) => string>;

/** A language's error messages: one for every code the API can answer (a missing one does not compile). */
export const errorMessages = (messages: ErrorMessages): ErrorMessages => messages;
