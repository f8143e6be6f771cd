import { parentPort, workerData } from 'node:worker_threads';
import { BlockCutter, type BlockTexts } from './cut.ts';
import type { Box } from './layers.ts';
import type { FromWorker, ToWorker, WorkerBudgets } from './workers.ts';

/**
 * A worker thread that cuts tiles (workers.ts starts it through cut-worker-boot.mjs): it keeps its
 * own blocks and indexes, and asks the API's thread to read a block it lacks, since only that
 * thread holds the database (PGlite runs in it; a pool or a replica's fallback is its own).
 */
const port = parentPort!;
const budgets = workerData.budgets as WorkerBudgets;
const reads = new Map<number, { resolve: (texts: BlockTexts) => void; reject: (error: Error) => void }>();
let nextRead = 0;
let cutter: { generation: number; cutter: BlockCutter } | null = null;

const read = (box: Box, zmax: number) => new Promise<BlockTexts>((resolve, reject) => {
  const id = nextRead++;
  reads.set(id, { resolve, reject });
  send({ type: 'read', id, box, zmax });
});

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'block') {
    const waiting = reads.get(message.id)!;
    reads.delete(message.id);
    if (message.texts) waiting.resolve(message.texts);
    else waiting.reject(new Error(message.error));
    return;
  }
  // a reload: tiles asked for after it come with its number, and are cut from blocks read after it
  // (one asked for before it and cut now gets the newer data, as a block read now would)
  if (!cutter || message.generation > cutter.generation) cutter = { generation: message.generation, cutter: new BlockCutter(read, budgets) };
  const { cutter: current } = cutter;
  current.cut(message.z, message.x, message.y).then(
    (tile) => send({ type: 'tile', id: message.id, tile, held: current.held }, tile.byteLength ? [tile.buffer as ArrayBuffer] : []),
    (error: unknown) => send({ type: 'failed', id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
