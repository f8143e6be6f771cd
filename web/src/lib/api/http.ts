// The one way the web app talks JSON to the API (docs/api.md): every call takes an AbortSignal so a
// stale one can be dropped, and an answer other than 2xx becomes an ApiError carrying the API's own
// message (`{ error }`, in the user's language), its status and the rest of the body.

/** An answer other than 2xx, with the API's own message (`{ error }`), its status and the rest of the body. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Sends one request and reads its JSON answer (undefined for 204 or an empty body). A FormData body
 * goes as it is (multipart), any other body as JSON. Non-2xx throws ApiError with the API's message,
 * or `<METHOD> <path> answered <status>` when the answer has none.
 */
export async function requestJson<T>(method: Method, path: string, signal?: AbortSignal, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, signal, credentials: 'same-origin', headers };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    const message = typeof data?.error === 'string' ? data.error : `${method} ${path} answered ${response.status}`;
    throw new ApiError(message, response.status, data);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const getJson = <T>(path: string, signal?: AbortSignal) => requestJson<T>('GET', path, signal);

export const postJson = <T>(path: string, body: unknown, signal?: AbortSignal) => requestJson<T>('POST', path, signal, body);
