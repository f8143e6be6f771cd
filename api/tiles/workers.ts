import { Worker } from 'node:worker_threads';
import type { BlockTexts } from './cut.ts';
import { blockOf, fineZoom } from './cut.ts';
import type { Box } from './layers.ts';

/**
 * Tiles cut in worker threads (cut-worker.ts), so that a cold tile does not wait behind every
 * other tile's cut on the API's one thread while the database's processes use the other cores.
 * The API's thread answers HTTP and runs the blocks' queries (a block comes back as one JSON text
 * a layer, which the worker parses); a worker parses, keeps its blocks and cuts.
 *
 * Each z12 block (tiles z14–16) belongs to one worker, so its tiles share its read and the
 * indexes of its z14 tiles; tiles above z14 are shared out by tile, each worker reading the z8
 * block they come from (a county spans one or two: one worker would cut all of z8–13).
 * A worker that stops (a crash, its memory) fails the tiles it was cutting; the next tile starts
 * another.
 */

export type WorkerBudgets = { blocks: number; fineBlockZoom: number };
export type ToWorker =
  | { type: 'tile'; id: number; generation: number; z: number; x: number; y: number }
  | { type: 'block'; id: number; texts?: BlockTexts; error?: string };
export type FromWorker =
  | { type: 'tile'; id: number; tile: Uint8Array; held: { blocks: number; blockBytes: number } }
  | { type: 'failed'; id: number; error: string }
  | { type: 'read'; id: number; box: Box; zmax: number };

type Thread = {
  worker: Worker;
  waiting: Map<number, { resolve: (tile: Uint8Array) => void; reject: (error: Error) => void }>;
  held: { blocks: number; blockBytes: number };
};

const workerModule = new URL('./cut-worker.ts', import.meta.url).href;
const boot = new URL('./cut-worker-boot.mjs', import.meta.url);

export class CutWorkers {
  private threads: (Thread | null)[];
  private nextId = 0;

  /** `count` threads (started when first needed), each holding up to `budgets.blocks / count` bytes of blocks; `read` reads a block for them. */
  constructor(count: number, private budgets: WorkerBudgets, private read: (box: Box, zmax: number) => Promise<BlockTexts>) {
    this.threads = Array.from({ length: count }, () => null);
  }

  /** The blocks the workers hold, as each said with its last tile. */
  get held() {
    const live = this.threads.filter((t): t is Thread => t !== null);
    return { blocks: live.reduce((sum, t) => sum + t.held.blocks, 0), blockBytes: live.reduce((sum, t) => sum + t.held.blockBytes, 0) };
  }

  /** The worker threads running now (a test stops one to see what a crash does). */
  get running(): Worker[] {
    return this.threads.filter((t): t is Thread => t !== null).map((t) => t.worker);
  }

  /** The tile (z, x, y) of generation `generation`, cut by the worker its block belongs to. */
  cut(generation: number, z: number, x: number, y: number): Promise<Uint8Array> {
    const b = blockOf(z, x, y, this.budgets.fineBlockZoom);
    const thread = this.thread(Math.abs(z >= fineZoom ? b.x + b.y : x + y) % this.threads.length);
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.ref(); // a tile is being cut: the process waits for it
      thread.worker.postMessage({ type: 'tile', id, generation, z, x, y } satisfies ToWorker);
    });
  }

  /** Stops every worker; tiles being cut fail. */
  async close(): Promise<void> {
    await Promise.all(this.running.map((worker) => worker.terminate()));
  }

  private thread(i: number): Thread {
    const running = this.threads[i];
    if (running) return running;
    const budgets: WorkerBudgets = { ...this.budgets, blocks: this.budgets.blocks / this.threads.length };
    const worker = new Worker(boot, { workerData: { module: workerModule, budgets } });
    const thread: Thread = { worker, waiting: new Map(), held: { blocks: 0, blockBytes: 0 } };
    worker.unref(); // idle, it keeps no process alive
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'read') {
        this.read(message.box, message.zmax).then(
          (texts) => worker.postMessage({ type: 'block', id: message.id, texts } satisfies ToWorker),
          (error: unknown) => worker.postMessage({ type: 'block', id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies ToWorker),
        );
        return;
      }
      const waiting = thread.waiting.get(message.id)!;
      thread.waiting.delete(message.id);
      if (!thread.waiting.size) worker.unref();
      if (message.type === 'failed') return waiting.reject(new Error(`a tile worker could not cut the tile: ${message.error}`));
      thread.held = message.held;
      waiting.resolve(message.tile);
    });
    let failure: Error | undefined;
    worker.on('error', (error) => { failure = error; });
    worker.on('exit', (code) => {
      if (this.threads[i] === thread) this.threads[i] = null;
      const error = new Error(`the tile worker stopped (exit code ${code}) before the tile was cut`, { cause: failure });
      for (const { reject } of thread.waiting.values()) reject(error);
      thread.waiting.clear();
    });
    this.threads[i] = thread;
    return thread;
  }
}
