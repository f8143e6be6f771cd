import { fsyncSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

// What we found in PGlite 0.5.8 (node_modules/@electric-sql/pglite/dist/index.js), and why this file exists:
// - A data directory is Emscripten's NODEFS mounted on a real directory: every write PostgreSQL
//   makes is an `fs.writeSync` on a real file, so it reaches the OS page cache at once and a
//   `kill -9` of our process loses nothing the OS had.
// - PGlite starts PostgreSQL with `-F` (fsync off) in `PGlite.defaultStartParams`.
// - Dropping `-F` alone does not make a commit durable: the Emscripten runtime's `fdatasync`
//   (PostgreSQL's default `wal_sync_method` on Linux) is a stub that returns 0, and its `fsync`
//   (`_fd_sync`) calls the file system's `stream_ops.fsync`, which NODEFS does not have — so
//   neither ever reaches the disk, and a power cut can still lose acknowledged writes.
// So the embedded default runs with fsync on, `wal_sync_method=fsync`, and NODEFS given the
// `fsync` it lacks: each commit's WAL flush becomes a real `fsync(2)` on the WAL segment
// (tests/api/durability.test.ts counts them; `npm run bench` measures what it costs a filing).

/** PostgreSQL's start parameters with fsync on and WAL flushes through `fsync()` (see above). */
export function durableStartParams(defaults: readonly string[]): string[] {
  return [...defaults.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'];
}

/** PGlite's NodeFS whose files can be fsync'ed to disk; `syncs` counts the fsyncs that reached the OS. */
export class DurableNodeFS extends NodeFS {
  syncs = 0;

  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, options);
    const preRun = result.emscriptenOpts.preRun ?? [];
    result.emscriptenOpts.preRun = [...preRun, (module: EmscriptenModule) => {
      module.FS.filesystems.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
        if (stream.nfd !== undefined) {
          fsyncSync(stream.nfd);
          this.syncs++;
        }
        return 0;
      };
    }];
    return result;
  }
}

/** The slice of the Emscripten module this file touches. */
interface EmscriptenModule {
  FS: { filesystems: { NODEFS: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } } } };
}
