import sharp from 'sharp';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Database } from '../db/client.ts';
import { requestPhotos } from '../db/schema.ts';
import { ApiError, errorResponse } from '../errors.ts';
import type { Photo } from '../contract/wire.ts';
import type { StaffUser } from '../auth/session.ts';
import type { RequestRow } from './request-row.ts';

export const maxPhotoBytes = 8 * 1024 * 1024;
/** the longest side a stored photo keeps: enough to see a blocked drain, small enough for a phone */
export const maxPhotoSide = 2048;
/**
 * the most pixels a photo may decode to (width × height): 24 MP bounds what one upload can make
 * sharp hold to < 100 MB (RGBA), and the web app shrinks photos to 1280 px before sending, so only
 * other clients meet it. A PNG of one colour at 20000 × 20000 is a few hundred KB on the wire and
 * 1.6 GB decoded: refused from its header, before decoding.
 */
export const maxPhotoPixels = 24_000_000;

/** multipart bodies of a photo upload: the photo plus a little room for the form's other fields */
export const photoBodyLimit = bodyLimit({
  maxSize: maxPhotoBytes + 64 * 1024,
  onError: (c) => errorResponse(tooLarge(), c),
});

const tooLarge = () => new ApiError('photo_too_large', `the photo must be at most ${maxPhotoBytes / 1024 / 1024} MB`,
  { field: 'photo', maximum: maxPhotoBytes });

type Kind = 'jpeg' | 'png' | 'webp';

/** The type a file really is, from its first bytes (never from its name or the declared type). */
export function sniff(bytes: Uint8Array): Kind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

/**
 * A photo as we store it: checked to be a JPEG, PNG or WebP by its content, decoded and encoded
 * again as JPEG (turned upright, at most 2048 px a side) — the new file carries no EXIF, XMP or
 * GPS, and nothing of the original file but its pixels.
 */
export async function processPhoto(input: Uint8Array): Promise<{ mime: 'image/jpeg'; bytes: Buffer; width: number; height: number }> {
  if (input.length === 0) throw new ApiError('photo_missing', 'the photo is empty', { field: 'photo' });
  if (input.length > maxPhotoBytes) throw tooLarge();
  const kind = sniff(input);
  if (!kind) throw new ApiError('photo_unsupported', 'only JPEG, PNG or WebP photos are accepted', { field: 'photo' });
  try {
    // the header alone, unbounded: sharp's own limit would throw here before we could say why
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (meta.format !== kind) throw new Error(`content is ${meta.format}, header says ${kind}`);
    if ((meta.width ?? 0) * (meta.height ?? 0) > maxPhotoPixels) {
      throw new ApiError('photo_too_many_pixels', `the photo is ${meta.width} × ${meta.height} pixels; at most ${maxPhotoPixels / 1_000_000} megapixels are accepted`,
        { field: 'photo', maximum: maxPhotoPixels });
    }
    const image = sharp(input, { failOn: 'error', limitInputPixels: maxPhotoPixels });
    const { data, info } = await image
      .rotate() // apply the EXIF orientation before the EXIF goes
      .resize({ width: maxPhotoSide, height: maxPhotoSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
    return { mime: 'image/jpeg', bytes: data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('photo_unreadable', 'the photo could not be read as a JPEG, PNG or WebP image', { field: 'photo' }, { cause: error });
  }
}

/** The `photo` file of a multipart body, or a 400 saying what to send. */
export async function photoFromForm(c: Context): Promise<{ bytes: Uint8Array; fields: Record<string, unknown> }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw new ApiError('photo_missing', 'send the photo as multipart/form-data with a field named photo', { field: 'photo' });
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new ApiError('photo_missing', 'the multipart body could not be read', { field: 'photo' });
  }
  const file = form.photo;
  if (!(file instanceof File)) throw new ApiError('photo_missing', 'the form needs a file field named photo', { field: 'photo' });
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields: form };
}

/**
 * Stores a photo and its audit event in one statement (both or neither); the event's note names
 * the photo's id, which only the insert knows. A request no longer in the state we read gets neither.
 */
async function storePhoto(database: Database, row: RequestRow, actor: string, kind: 'report' | 'progress' | 'outcome', input: Uint8Array, note: string) {
  const photo = await processPhoto(input);
  const [stored] = await database.rows<{ id: number }>(sql`
    WITH req AS (SELECT id FROM requests WHERE id = ${row.id} AND status = ${row.status}),
    ph AS (
      INSERT INTO request_photos (request_id, kind, mime, bytes)
      SELECT id, ${kind}, ${photo.mime}, ${photo.bytes}::bytea FROM req RETURNING id
    ),
    ev AS (
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
      SELECT ${row.id}, ${actor}, 'photo', ${row.status}, ${row.status}, ${note}::text || ' #' || ph.id FROM ph
    )
    SELECT id FROM ph`);
  if (!stored) throw new ApiError('request_changed', 'the request changed while you were saving; reload it and try again');
  return { id: Number(stored.id), url: `/api/photos/${stored.id}`, width: photo.width, height: photo.height };
}

export async function readPhoto(database: Database, id: number) {
  const [row] = await database.db.select({
    id: requestPhotos.id, requestId: requestPhotos.requestId, kind: requestPhotos.kind, mime: requestPhotos.mime, bytes: requestPhotos.bytes,
  }).from(requestPhotos).where(eq(requestPhotos.id, id));
  return row ?? null;
}

export async function photosOf(database: Database, requestId: number, kinds?: string[]): Promise<Photo[]> {
  const rows = await database.db.select({ id: requestPhotos.id, kind: requestPhotos.kind, createdAt: requestPhotos.createdAt })
    .from(requestPhotos)
    .where(kinds ? and(eq(requestPhotos.requestId, requestId), inArray(requestPhotos.kind, kinds as Photo['kind'][])) : eq(requestPhotos.requestId, requestId))
    .orderBy(requestPhotos.id);
  return rows.map((r) => ({ id: r.id, kind: r.kind as Photo['kind'], url: `/api/photos/${r.id}` }));
}

/** How long after filing, and how many, photos the reporter may add. */
export const reporterPhotos = { withinMinutes: 60, maximum: 3 } as const;

/** The reporter's photo of the problem: within an hour of filing, at most three, with its audit event. */
export async function addReporterPhoto(database: Database, row: RequestRow, input: Uint8Array) {
  if (Date.now() - new Date(row.createdAt).getTime() > reporterPhotos.withinMinutes * 60_000) {
    throw new ApiError('photo_window_closed', 'photos can be added within an hour of filing');
  }
  const [{ n }] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM request_photos WHERE request_id = ${row.id} AND kind = 'report'`);
  if (n >= reporterPhotos.maximum) {
    throw new ApiError('photo_limit', `at most ${reporterPhotos.maximum} photos per request`, { maximum: reporterPhotos.maximum });
  }
  return storePhoto(database, row, 'resident', 'report', input, '居民照片');
}

/** A staff member's photo of progress or of the outcome, with its audit event. */
export async function addStaffPhoto(database: Database, row: RequestRow, user: StaffUser, kind: 'progress' | 'outcome', input: Uint8Array) {
  return storePhoto(database, row, user.staffId, kind, input, kind === 'outcome' ? '办结照片' : '进展照片');
}
