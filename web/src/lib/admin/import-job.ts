import { fetchImportJob, startLayerImport, type ImportJob } from '../api/admin.ts';

const pollMs = 300; // the bar moves at least every second: progress is told at least that often (docs/import.md)

/** Uploads the file as an import job and polls it until it ends, telling `onJob` each state; answers the last. */
export async function importWithProgress(file: File, fields: Record<string, string>, onJob: (job: ImportJob) => void): Promise<ImportJob> {
  let { job } = await startLayerImport(file, fields);
  onJob(job);
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    job = (await fetchImportJob(job.id)).job;
    onJob(job);
  }
  return job;
}
