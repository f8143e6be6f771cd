import { api, read, signalled } from './client.ts';

// What this installation is: the demo street or a street office's own data, and whether it still
// waits for its first administrator (docs/setup.md).

let health: ReturnType<typeof fetchHealth> | null = null;
const fetchHealth = () => read(api.health.$get(undefined, signalled()));

/** Whether the fictional demo is loaded (asked once per page load; the staff pages' 演示数据 banner). */
export function isDemo(): Promise<boolean> {
  health ??= fetchHealth();
  return health.then((h) => h.demo).catch(() => {
    health = null; // not known yet (the server is starting): ask again next time
    return false;
  });
}

export const fetchSetup = (signal?: AbortSignal) => read(api.setup.$get(undefined, signalled(signal)));

export const completeSetup = (admin: { token: string; username: string; name: string; password: string }, signal?: AbortSignal) =>
  read(api.setup.$post({ json: admin }, signalled(signal)));
