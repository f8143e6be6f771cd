import type { Database } from '../db/client.ts';
import type { StaffNotification } from '../contract/wire.ts';
import { notificationsById } from './notifications.ts';

export const notificationChannel = 'staff_notifications';

/** An open page of one staff member: it gets their notifications and nobody else's. */
export interface NotificationSubscriber {
  staffId: string;
  push(notification: StaffNotification): void;
}

/**
 * One LISTEN per database connection on `staff_notifications` (the trigger of migration 0008
 * announces each notification's id), fanned out to the open pages of its recipient. NOTIFY is
 * not stored: a page that was away, or an announcement lost with a dropped connection, is
 * made whole by the page reading its list again (on connect, and every minute).
 */
export class NotificationHub {
  static #hubs = new WeakMap<Database, NotificationHub>();

  static of(database: Database): NotificationHub {
    let hub = NotificationHub.#hubs.get(database);
    if (!hub) NotificationHub.#hubs.set(database, (hub = new NotificationHub(database)));
    return hub;
  }

  #subscribers = new Set<NotificationSubscriber>();
  #listening: Promise<unknown> | null = null;
  #pending = new Set<number>();
  #flushing: Promise<void> | null = null;

  constructor(private readonly database: Database) {}

  async subscribe(subscriber: NotificationSubscriber): Promise<() => void> {
    this.#subscribers.add(subscriber);
    try {
      this.#listening ??= this.database.listen(notificationChannel, (payload) => this.#announce(payload)).catch((error) => {
        this.#listening = null;
        throw error;
      });
      await this.#listening;
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    }
    return () => void this.#subscribers.delete(subscriber);
  }

  #announce(payload: string): void {
    const id = Number(payload);
    if (!Number.isSafeInteger(id) || id <= 0) return;
    if (this.#subscribers.size === 0) return; // nobody has a page open in this process
    this.#pending.add(id);
    this.#flushing ??= Promise.resolve().then(() => this.#flush());
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const ids = [...this.#pending];
        this.#pending.clear();
        for (const { recipientId, ...notification } of await notificationsById(this.database, ids)) {
          for (const subscriber of this.#subscribers) {
            if (subscriber.staffId === recipientId) subscriber.push(notification);
          }
        }
      }
    } catch (error) {
      console.error('notifications: could not load announced notifications; pages catch up on their next read', error);
    } finally {
      this.#flushing = null;
    }
  }
}
