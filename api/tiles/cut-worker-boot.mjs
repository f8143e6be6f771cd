// The entry of a tile worker thread (workers.ts): it loads cut-worker.ts through tsx's API, since a
// worker's entry does not go through the loader `tsx` or `node --import tsx` gives the API's thread
// (on Node 20, "Unknown file extension .ts"), nor through Vitest's.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
