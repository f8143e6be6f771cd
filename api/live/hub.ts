import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { loadEvents, settledHorizon, type EventRow } from './event-rows.ts';

/** Someone who wants request events as they happen: an open SSE stream. */
export interface Subscriber {
  accepts(row: EventRow): boolean;
  push(row: EventRow): void;
  /** the server is stopping: end the stream (the browser reconnects, to another process or later) */
  close?(): void;
}

export const channel = 'request_events';

/**
 * One LISTEN per database connection (so per API process), fanned out to every open stream in
 * the process. The trigger in migration 0004 NOTIFYs each audit event; every process behind a
 * load balancer runs its own hub on the same channel, so each serves every event whichever
 * process wrote it.
 *
 * Ids are drawn in one order and committed in another: event 10's transaction may commit after
 * event 11's. So the hub hands out only *settled* events — those whose transaction (its `xid`)
 * is older than every transaction still running (`pg_snapshot_xmin`): nothing older can appear
 * any more. Each round takes the events between the last horizon and the new one; an event
 * held back behind a running transaction is retried shortly. A notification only wakes the hub
 * up; one that is lost (the connection dropped) is made up by a round every `catchUpMs`.
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
  /** every event of a transaction older than this (an xid8, as text) has been fanned out */
  #horizon = '0';
  #rounds: Promise<void> | null = null;
  #again = false;
  #retry: NodeJS.Timeout | null = null;
  #catchUp: NodeJS.Timeout | null = null;

  constructor(private readonly database: Database, private readonly catchUpMs = 15_000, private readonly heldBackMs = 100) {}

  get subscriberCount() {
    return this.#subscribers.size;
  }

  /** Ends every open stream (graceful shutdown, api/server.ts); a closed hub takes no new one. */
  closeAll(): void {
    this.#closed = true;
    for (const subscriber of this.#subscribers) subscriber.close?.();
  }
  #closed = false;

  /** Start receiving; the returned function stops. Resolves once LISTEN is in place. */
  async subscribe(subscriber: Subscriber): Promise<() => void> {
    if (this.#closed) throw new Error('the server is shutting down');
    this.#subscribers.add(subscriber);
    try {
      await this.#listen();
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    }
    if (!this.#catchUp) {
      this.#catchUp = setInterval(() => this.#wake(), this.catchUpMs);
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
      // LISTEN first, then read the horizon: an event settling in between is in the next round
      await this.database.listen(channel, () => this.#wake());
      this.#horizon = (await settledHorizon(this.database)).horizon;
    })().catch((error) => {
      this.#listening = null;
      throw error;
    });
    return this.#listening;
  }

  /** Runs a round now, or once more after the one running (a wake-up during a round is not lost). */
  #wake(): void {
    if (this.#rounds) {
      this.#again = true;
      return;
    }
    this.#rounds = (async () => {
      do {
        this.#again = false;
        await this.#round();
      } while (this.#again);
      this.#rounds = null;
    })();
  }

  async #round(): Promise<void> {
    try {
      const { horizon, held } = await settledHorizon(this.database);
      if (horizon !== this.#horizon) {
        const rows = await loadEvents(this.database, sql`e.xid >= ${this.#horizon}::xid8 AND e.xid < ${horizon}::xid8`, { limit: 1_000_000 });
        this.#horizon = horizon;
        this.#fanOut(rows);
      }
      // a committed event waits behind an older transaction still running: look again soon
      if (held && !this.#retry) {
        this.#retry = setTimeout(() => { this.#retry = null; this.#wake(); }, this.heldBackMs);
        this.#retry.unref();
      }
    } catch (error) {
      console.error('live: could not load the settled events; the next round will retry', error);
    }
  }

  #fanOut(rows: EventRow[]): void {
    for (const row of rows) { // oldest id first (loadEvents)
      for (const subscriber of this.#subscribers) {
        if (subscriber.accepts(row)) subscriber.push(row);
      }
    }
  }
}
