import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { eventsById, loadEvents, newestEventId, type EventRow } from './event-rows.ts';

/** Someone who wants request events as they happen: an open SSE stream. */
export interface Subscriber {
  accepts(row: EventRow): boolean;
  push(row: EventRow): void;
}

export const channel = 'request_events';

/**
 * One LISTEN per database connection (so per API process), fanned out to every open stream in
 * the process. The trigger in migration 0004 NOTIFYs each audit event's id; ids that arrive
 * together are loaded in one query. Every process behind a load balancer runs its own hub on
 * the same channel, so each serves every event whichever process wrote it.
 *
 * NOTIFY is not stored: an event whose notification is lost (the listening connection dropped
 * and reconnected) is found by a catch-up query every `catchUpMs` while anyone is listening.
 */
export class LiveHub {
  static #hubs = new WeakMap<Database, LiveHub>();

  /** The hub of this database connection, made on first use. */
  static of(database: Database): LiveHub {
    let hub = LiveHub.#hubs.get(database);
    if (!hub) LiveHub.#hubs.set(database, (hub = new LiveHub(database)));
    return hub;
  }

  #subscribers = new Set<Subscriber>();
  #listening: Promise<void> | null = null;
  #pending = new Set<number>();
  #flushing: Promise<void> | null = null;
  /** ids already fanned out, newest last (bounded): a catch-up must not send them twice */
  #sent = new Set<number>();
  #highest = 0;
  #catchUp: NodeJS.Timeout | null = null;

  constructor(private readonly database: Database, private readonly catchUpMs = 15_000) {}

  get subscriberCount() {
    return this.#subscribers.size;
  }

  /** Start receiving; the returned function stops. Resolves once LISTEN is in place. */
  async subscribe(subscriber: Subscriber): Promise<() => void> {
    this.#subscribers.add(subscriber);
    try {
      await this.#listen();
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    }
    if (!this.#catchUp) {
      this.#catchUp = setInterval(() => void this.#catchUpMissed(), this.catchUpMs);
      this.#catchUp.unref();
    }
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0 && this.#catchUp) {
        clearInterval(this.#catchUp);
        this.#catchUp = null;
      }
    };
  }

  #listen(): Promise<void> {
    this.#listening ??= (async () => {
      // LISTEN first, then read where the table stands: an event in between arrives twice at
      // most (and #sent drops the second), never not at all
      await this.database.listen(channel, (payload) => this.#announce(payload));
      this.#highest = Math.max(this.#highest, await newestEventId(this.database));
    })().catch((error) => {
      this.#listening = null;
      throw error;
    });
    return this.#listening;
  }

  #announce(payload: string): void {
    const id = Number(payload);
    if (!Number.isSafeInteger(id) || id <= 0) return;
    this.#pending.add(id);
    this.#flushing ??= Promise.resolve().then(() => this.#flush());
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const ids = [...this.#pending].filter((id) => !this.#sent.has(id));
        this.#pending.clear();
        this.#fanOut(await eventsById(this.database, ids));
      }
    } catch (error) {
      console.error('live: could not load announced events; the next catch-up will retry', error);
    } finally {
      this.#flushing = null;
    }
  }

  async #catchUpMissed(): Promise<void> {
    try {
      this.#fanOut(await loadEvents(this.database, sql`e.id > ${this.#highest}`, { limit: 5000 }));
    } catch (error) {
      console.error('live: catch-up query failed', error);
    }
  }

  #fanOut(rows: EventRow[]): void {
    rows.sort((a, b) => a.id - b.id);
    for (const row of rows) {
      if (this.#sent.has(row.id)) continue;
      this.#sent.add(row.id);
      if (this.#sent.size > 10_000) this.#sent.delete(this.#sent.values().next().value!);
      this.#highest = Math.max(this.#highest, row.id);
      for (const subscriber of this.#subscribers) {
        if (subscriber.accepts(row)) subscriber.push(row);
      }
    }
  }
}
