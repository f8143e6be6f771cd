import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { loadDemoData } from '../../api/demo/seed.ts';
import { hasNativePostgres, startCluster, type Cluster } from './pg-cluster.ts';
import { noLimitsEnv } from '../../api/guard/limits.ts';
import { freePort } from '../helpers/ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplateUrl: string | null;
    baseUrl: string | null;
    /** where the browser tests find the app: the embedded default (PGlite) always, PostgreSQL when installed */
    browserTargets: [engine: 'pglite' | 'postgres', url: string][];
  }
}

/**
 * Builds the demo database once per run, for both engines, and hands every test file a way to
 * get a fresh copy: PGlite loads a dumped data directory (≈6 s instead of ≈20 s cold), native
 * PostgreSQL clones a template database (≈50 ms). Also starts one app server for browser tests.
 */
export default async function setup(project: TestProject) {
  const tmp = resolve('.tmp');
  mkdirSync(tmp, { recursive: true });
  // the care ledger's key (api/care/seal.ts), one per run: the templates, the test files and the
  // servers started here seal and unseal with the same one, and none writes a key file
  process.env.CARE_KEY ||= randomBytes(32).toString('hex');
  const t0 = performance.now();

  // the app as `npm start` runs it, embedded PGlite in a data directory of its own: started first,
  // so it loads its demo data while the templates are built
  const embeddedDir = resolve(tmp, `browser-pglite-${process.pid}`);
  rmSync(embeddedDir, { recursive: true, force: true });
  const embeddedPort = await freePort();
  const embedded = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    env: { ...process.env, ...noLimitsEnv, PORT: String(embeddedPort), DATA_DIR: embeddedDir, DATABASE_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const targets: [engine: 'pglite' | 'postgres', url: string][] = [];

  const pglite = await openDatabase({ dataDir: 'memory://' });
  await loadDemoData(pglite);
  const blob = await pglite.dump!();
  const templatePath = resolve(tmp, `pglite-template-${process.pid}.tgz`);
  writeFileSync(templatePath, Buffer.from(await blob.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', templatePath);
  console.log(`[setup] PGlite template ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let cluster: Cluster | null = null;
  let server: ChildProcess | null = null;
  project.provide('postgresTemplateUrl', null);
  project.provide('baseUrl', null);
  if (hasNativePostgres()) {
    cluster = await startCluster(await freePort());
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE gridmap_template'));
    await admin.close();
    const template = await openDatabase({ url: cluster.urlFor('gridmap_template') });
    await loadDemoData(template);
    await template.close();
    project.provide('postgresTemplateUrl', cluster.urlFor('gridmap_template'));
    console.log(`[setup] PostgreSQL template ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // one server for the browser tests, on its own copy of the demo database
    const admin2 = await openDatabase({ url: cluster.url, migrate: false });
    await admin2.db.execute(sql.raw('CREATE DATABASE gridmap_browser TEMPLATE gridmap_template'));
    await admin2.close();
    const port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      env: { ...process.env, ...noLimitsEnv, PORT: String(port), DATABASE_URL: cluster.urlFor('gridmap_browser') },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor(`http://localhost:${port}/api/health`, 300_000);
    project.provide('baseUrl', `http://localhost:${port}`);
    targets.push(['postgres', `http://localhost:${port}`]);
  } else {
    console.warn('[setup] no native PostgreSQL + PostGIS here: tests run on PGlite only');
  }
  await waitFor(`http://localhost:${embeddedPort}/api/health`, 300_000);
  targets.unshift(['pglite', `http://localhost:${embeddedPort}`]);
  project.provide('browserTargets', targets);
  console.log(`[setup] browser targets ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${targets.map(([e]) => e).join(', ')}`);

  return async () => {
    server?.kill('SIGTERM');
    embedded.kill('SIGTERM');
    await cluster?.stop();
    writeFileSync(templatePath, '');
  };
}

async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        // the web build finishes alongside the API; the page must be there too
        const page = await fetch(new URL('/', url));
        if (page.ok) return;
      }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server at ${url} did not become ready in ${timeoutMs / 1000} s`);
}
