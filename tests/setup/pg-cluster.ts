import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  /** postgres://… of the cluster's `postgres` database */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export function hasNativePostgres(): boolean {
  return existsSync(join(bin, 'initdb')) && existsSync('/usr/share/postgresql/15/extension/postgis.control');
}

/**
 * A throwaway PostgreSQL cluster on a private port and socket directory, for tests and benchmarks.
 * initdb refuses to run as root, so as root we run the binaries as the `postgres` system user.
 */
export async function startCluster(port: number, { icuLocale }: { icuLocale?: string } = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gridmap-pg-'));
  const data = join(dir, 'data');
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asPostgres ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  // --no-locale: byte order everywhere. With `icuLocale` (e.g. zh-CN, en-US) the databases sort
  // text as that language does, as a production cluster initialised in that locale would; ICU
  // comes with PostgreSQL, so no OS locale (Debian's `locales`) needs generating.
  const locale = icuLocale ? ['--locale-provider=icu', `--icu-locale=${icuLocale}`, '--locale=C.UTF-8'] : ['--no-locale'];
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', ...locale]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
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
