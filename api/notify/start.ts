import type { Database } from '../db/client.ts';
import { warnDeadlines } from './notifications.ts';
import { configureChannels, startOutbox } from './outbox.ts';
import { sendersFromEnv } from './senders.ts';

/**
 * The server's notification jobs: deadline warnings every minute, and the outbox's sender loop
 * with the senders the environment configures. Returns the function that stops both.
 */
export async function startNotifications(database: Database, env: NodeJS.ProcessEnv = process.env): Promise<() => void> {
  const senders = sendersFromEnv(env);
  await configureChannels(database, senders.map((s) => s.channel));
  if (senders.length) console.log(`outbox: sending ${senders.map((s) => s.channel).join(' and ')} (docs/notifications.md)`);
  const stopOutbox = startOutbox(database, senders);
  let running = false;
  const warnings = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await warnDeadlines(database);
    } catch (error) {
      console.error('deadline warnings failed; the next minute retries', error);
    } finally {
      running = false;
    }
  }, 60_000);
  warnings.unref();
  return () => { clearInterval(warnings); stopOutbox(); };
}
