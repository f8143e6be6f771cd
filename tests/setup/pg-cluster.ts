import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
// initdb refuses to run as root: as root, every tool runs as the `postgres` system user
const asPostgres = process.getuid?.() === 0;
const pg = (tool: string, args: string[]) =>
  asPostgres ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

export interface Cluster {
  /** postgres://… of the cluster's `postgres` database */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export function hasNativePostgres(): boolean {
  return existsSync(join(bin, 'initdb')) && existsSync('/usr/share/postgresql/15/extension/postgis.control');
}

export interface ClusterOptions {
  /** ICU locale the databases sort text in (see below) */
  icuLocale?: string;
  /** where the cluster's directory is made (default: the OS temp directory) */
  parent?: string;
  /** more server settings, e.g. `-c synchronous_commit=on` (the last of a setting wins) */
  settings?: string;
}

/** A throwaway PostgreSQL cluster on a private port and socket directory, for tests and benchmarks. */
export async function startCluster(port: number, { icuLocale, parent = tmpdir(), settings = '' }: ClusterOptions = {}): Promise<Cluster> {
  const dir = await clusterDir(parent);
  const data = join(dir, 'data');

  // --no-locale: byte order everywhere. With `icuLocale` (e.g. zh-CN, en-US) the databases sort
  // text as that language does, as a production cluster initialised in that locale would; ICU
  // comes with PostgreSQL, so no OS locale (Debian's `locales`) needs generating.
  const locale = icuLocale ? ['--locale-provider=icu', `--icu-locale=${icuLocale}`, '--locale=C.UTF-8'] : ['--no-locale'];
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', ...locale]);
  return serve(dir, port, settings);
}

/**
 * A hot standby of the cluster at `primaryUrl` on its own port: a base backup taken over the
 * replication protocol (`pg_basebackup -R` writes standby.signal and primary_conninfo), then
 * streaming replication, as a production replica is made. `hot_standby_feedback` keeps the
 * primary's vacuum from cancelling the standby's reads. The primary must be one startCluster
 * started (its initdb lets 127.0.0.1 connect for replication without a password).
 */
export async function startStandby(primaryUrl: string, port: number, { parent = tmpdir() }: { parent?: string } = {}): Promise<Cluster> {
  const dir = await clusterDir(parent);
  const { port: primaryPort } = new URL(primaryUrl);
  await pg('pg_basebackup', ['-h', '127.0.0.1', '-p', primaryPort, '-U', 'postgres', '-D', join(dir, 'data'), '-R', '-X', 'stream', '-c', 'fast']);
  return serve(dir, port, '-c hot_standby_feedback=on');
}

/** Starts the server of the cluster in `dir`/data on `port`; the answer stops it and removes `dir`. */
async function serve(dir: string, port: number, extra = ''): Promise<Cluster> {
  const data = join(dir, 'data');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${extra}`;
  await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);

  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    urlFor,
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh directory under `parent` for one cluster, owned by the user its server runs as. */
async function clusterDir(parent: string): Promise<string> {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'gridmap-pg-'));
  if (asPostgres) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  return dir;
}
