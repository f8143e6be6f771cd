import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

import { noLimitsEnv } from './api/guard/limits.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiPort = Number(process.env.PORT ?? 8080);

/**
 * Every script and style of the build also as `.br` and `.gz` beside it, which the server sends as
 * they are (api/server.ts, serveStatic's `precompressed`): the map's 1.3 MB chunk and its worker
 * were gzipped again on every page load, on the thread that answers the API.
 */
function precompress(): Plugin {
  return {
    name: 'gridmap-precompress',
    apply: 'build',
    // once the files are written: their code as served, after every other plugin's last word on it
    writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(m?js|css)$/.test(file.fileName)) continue;
        const bytes = Buffer.from(file.type === 'chunk' ? file.code : file.source);
        if (bytes.length < 1024) continue;
        const path = join(options.dir!, file.fileName);
        writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: 'web',
  plugins: [svelte(), precompress()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  // `npm run dev` serves the web app on 5173 and forwards the API to the server on PORT
  server: { port: 5173, proxy: { '/api': `http://localhost:${apiPort}` } },
  test: {
    root,
    include: ['api/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    // the suite files thousands of requests from 127.0.0.1: per-client limits would refuse it, so they
    // are lifted here, and tests/api/guard.test.ts tests them with their real defaults (api/guard/limits.ts)
    env: noLimitsEnv,
    // each test file opens its own database (≈0.5–1 GB for PGlite): two at once fit 2 cores
    pool: 'forks',
    maxWorkers: 2,
    // one process per worker for all its files: each file still opens its own database (and closes
    // it), but the API's modules are imported once per worker, not once per file (≈1–5 s a file).
    // Module state is per database (WeakMaps keyed by it) or per app; mocks and env stubs are undone
    isolate: false,
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
