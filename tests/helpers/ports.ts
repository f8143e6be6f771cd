import { createServer } from 'node:net';

/**
 * A port nobody listens on now, from the system (listen on 0). A fixed one (58000 + pid) could be
 * taken by another run, by another test file of the same worker process (files share it), or by an
 * outgoing connection (those ports are in Linux's ephemeral range), and the server started on it
 * would stop at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
