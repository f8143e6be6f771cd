import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Screen } from './screens.ts';

// Wall screens listening from a process of their own, as they do from their own machines: in the
// filer's process their parsing of every event (200 screens) ran on the filer's event loop and
// counted in its clock — 20 ms at p50 against 11 ms apart (docs/scaling.md).

export interface ScreensApart {
  /** when each screen had the event of a ticket, in ms since the epoch (performance.timeOrigin + now) */
  arrivals(ticket: string): Promise<number[]>;
  close(): void;
}

/** Opens `count` screens on `base`'s live stream in a child process; resolves once every one is connected. */
export async function screensApart(base: string, count: number): Promise<ScreensApart> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), base, String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (at: number[]) => void>();
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the screens' process exited (${code})`)));
    child.on('message', (m: { ready?: true; ticket?: string; at?: number[] }) => (m.ready ? resolve() : waiting.get(m.ticket!)?.(m.at!)));
  });
  return {
    arrivals: (ticket) => new Promise((resolve) => { waiting.set(ticket, resolve); child.send({ ticket }); }),
    close: () => child.kill(),
  };
}

// the child: opens the screens, says so, and answers each ticket asked with its arrivals
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const [base, count] = [process.argv[2], Number(process.argv[3])];
  const screens = Array.from({ length: count }, () => new Screen(base));
  await Promise.all(screens.map((s) => s.opened));
  process.send({ ready: true });
  process.on('message', async ({ ticket }: { ticket: string }) => {
    const at = (await Promise.all(screens.map((s) => s.arrival(ticket)))).map((t) => t + performance.timeOrigin);
    process.send!({ ticket, at });
  });
  process.on('disconnect', () => process.exit(0));
}
