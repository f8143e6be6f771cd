import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, until } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';

describe('starting the server', () => {
  it('refuses a second server on the same data directory, naming the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-lock-'));
    const first = startServer({ PORT: String(await freePort()), DATA_DIR: dir });
    try {
      await until(() => existsSync(join(dir, 'gridmap-server.pid')), 30_000);
      const second = startServer({ PORT: String(await freePort()), DATA_DIR: dir });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`pid ${first.child.pid}`);
      expect(second.output()).toMatch(/another server/);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a data directory whose lock was left by a process that is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-lock-'));
    const crashed = startServer({ PORT: String(await freePort()), DATA_DIR: dir });
    await until(() => existsSync(join(dir, 'gridmap-server.pid')), 30_000);
    crashed.child.kill('SIGKILL'); // no exit handler runs: the lock file stays
    await crashed.exited;
    expect(existsSync(join(dir, 'gridmap-server.pid'))).toBe(true);
    const next = startServer({ PORT: String(await freePort()), DATA_DIR: dir });
    try {
      await until(() => /listening on/.test(next.output()), 30_000);
      expect(next.output()).not.toMatch(/another server/);
    } finally {
      next.child.kill('SIGKILL');
      await next.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says plainly that the port is in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-port-'));
    const port = String(await freePort());
    const first = startServer({ PORT: port, DATA_DIR: join(dir, 'a') });
    try {
      await until(() => /listening on/.test(first.output()), 30_000);
      const second = startServer({ PORT: port, DATA_DIR: join(dir, 'b') });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`port ${port} is in use`);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
