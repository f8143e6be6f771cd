import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

export const maxImportBytes = 20 * 1024 * 1024; // a roster or a layer file; larger ones go through npm run import

/** The uploaded file of a multipart body (field `file`), within the size limit, and the form's other fields. */
export async function uploaded(c: Context): Promise<{ name: string; bytes: ArrayBuffer; form: FormData }> {
  if (Number(c.req.header('content-length') ?? 0) > maxImportBytes) {
    throw new ApiError('body_too_large', `the file is larger than ${maxImportBytes / 1024 / 1024} MB: import it with npm run import`, { maximum: maxImportBytes });
  }
  const form = await c.req.formData().catch(() => null);
  const file = form?.get('file');
  if (!form || !(file instanceof File) || file.size === 0) throw new ApiError('required', 'send the file as multipart field "file"', 'file');
  if (file.size > maxImportBytes) {
    throw new ApiError('body_too_large', `the file is larger than ${maxImportBytes / 1024 / 1024} MB: import it with npm run import`, { maximum: maxImportBytes });
  }
  return { name: file.name, bytes: await file.arrayBuffer(), form };
}
