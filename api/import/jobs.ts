import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { ImportJob, ImportProgress, LayerImportReport } from '../contract/layers.ts';
import { ApiError } from '../errors.ts';
import { hashToken } from '../auth/session.ts';
import { importLayerFile, type LayerImportOptions } from './layers.ts';

// An import from the console as a job the page polls (issue 8 §2: a progress bar): the request
// that uploads the file answers at once with the job's id; the import runs on in this process, in
// its one transaction, telling its progress (phase, rows done of total) as it goes.
//
// Where the progress lives, so that every API process can answer the poll:
// - here, in memory, for this process: always current;
// - in import_jobs, written from another pooled connection than the import's transaction, at most
//   twice a second — PostgreSQL only. PGlite is one process holding its data directory alone, and
//   its one connection is the import's until it commits: a write beside it would only wait.
// The row is written in full when the job starts and when it ends, on both engines.

const live = new Map<string, { job: ImportJob; actor: string; session: string | null }>();
const rowEveryMs = 500;
const keptInMemoryMs = 10 * 60_000; // after the end; the row stays a day

/**
 * Starts the import of one file and answers its job as it stands (running, read, 0 of 0).
 * `session` is the starter's session token: their polls are answered from memory (liveImportJob).
 */
export async function startLayerImport(database: Database, bytes: Uint8Array, options: LayerImportOptions, session?: string): Promise<ImportJob> {
  const job: ImportJob = {
    id: randomUUID(), layer: options.layer, fileName: options.fileName.slice(-200), state: 'running',
    phase: 'read', done: 0, total: 0, report: null, error: null, updatedAt: new Date().toISOString(),
  };
  await database.rows(sql`DELETE FROM import_jobs WHERE updated_at < now() - interval '1 day'`);
  await database.rows(sql`INSERT INTO import_jobs (id, actor, layer, file_name) VALUES (${job.id}, ${options.actor}, ${job.layer}, ${job.fileName})`);
  live.set(job.id, { job, actor: options.actor, session: session ? hashToken(session) : null });

  let written = 0;
  let writing: Promise<void> | null = null;
  const onProgress = (progress: ImportProgress) => {
    Object.assign(job, progress, { updatedAt: new Date().toISOString() });
    if (database.kind !== 'postgres' || writing || Date.now() - written < rowEveryMs) return;
    written = Date.now();
    writing = save(database, job).finally(() => { writing = null; });
  };
  void (async () => {
    let end: ImportJob;
    try {
      const report = await importLayerFile(database, bytes, { ...options, onProgress });
      end = ended(job, report.ok ? 'done' : 'refused', report, null);
    } catch (error) {
      if (!(error instanceof ApiError)) console.error(`import ${job.id} (${job.fileName}) failed:`, error);
      end = ended(job, 'failed', null, error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'internal', message: 'the import failed; the database is unchanged' });
    }
    // on PostgreSQL the row first: once this process says the job ended, every other one says so
    // too; PGlite is this process alone, and its queue may hold the servers' re-cut of the tiles
    if (database.kind === 'pglite') Object.assign(job, end);
    await writing;
    await save(database, end);
    Object.assign(job, end);
    setTimeout(() => live.delete(job.id), keptInMemoryMs).unref();
  })();
  return { ...job };
}

const ended = (job: ImportJob, state: ImportJob['state'], report: LayerImportReport | null, error: ImportJob['error']): ImportJob =>
  ({ ...job, state, report, error, updatedAt: new Date().toISOString() });

async function save(database: Database, job: ImportJob): Promise<void> {
  try {
    await database.rows(sql`UPDATE import_jobs SET state = ${job.state}, phase = ${job.phase}, done = ${job.done}, total = ${job.total},
      report = ${job.report ? JSON.stringify(job.report) : null}::jsonb, error = ${job.error ? JSON.stringify(job.error) : null}::jsonb, updated_at = now()
      WHERE id = ${job.id}`);
  } catch (error) {
    console.error(`import ${job.id}: its progress could not be saved:`, error); // the import itself goes on
  }
}

/**
 * The job as it stands, from this process's memory, for the session that started it — without a
 * query: on PGlite the one connection is the import's until it commits, so a poll that looked
 * the session up would wait for the end of the import. Null otherwise (then: importJobOf).
 */
export function liveImportJob(id: string, session: string | undefined): ImportJob | null {
  const here = live.get(id);
  return here?.session && session && here.session === hashToken(session) ? { ...here.job } : null;
}

/** The job as it stands, if `actor` started it: from this process's memory, else from its row (another process runs it). */
export async function importJobOf(database: Database, id: string, actor: string): Promise<ImportJob> {
  const here = live.get(id);
  if (here) {
    if (here.actor === actor) return { ...here.job };
  } else {
    const [row] = await database.rows<ImportJob & { actor: string }>(sql`
      SELECT id, actor, layer, file_name AS "fileName", state, phase, done, total, report, error, updated_at AS "updatedAt"
      FROM import_jobs WHERE id = ${id}`);
    if (row?.actor === actor) {
      const { actor: _, ...job } = row;
      return { ...job, updatedAt: new Date(job.updatedAt).toISOString() };
    }
  }
  throw new ApiError('import_job_not_found', 'no such import of yours', { id: id.slice(0, 40) });
}
