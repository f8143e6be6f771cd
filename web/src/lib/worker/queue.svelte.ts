import { ApiError, claimRequest, fetchQueue, type StaffRequest, type StaffUser } from '../api/loop.ts';
import { watchStaffStream } from '../api/live.svelte.ts';

const REFRESH_INTERVAL = 30_000; // ms: the queue is also reloaded after every action and on every change the stream tells
const STREAM_SETTLE = 250; // ms: a burst of events (filing, then its assignment) reloads once

/**
 * The worker's queue. Claims are optimistic — the card turns "claimed" at the tap — but honest:
 * if another worker won, the card says so and the queue is reloaded from the server.
 */
export class Queue {
  scope = $state<'mine' | 'area'>('area');
  requests = $state<StaffRequest[]>([]);
  loading = $state(false);
  /** why the queue could not be read; the page words it (api/errors.ts) and sends a signed-out worker to sign in */
  error = $state<unknown>(null);
  /** per ticket: 'claiming' while the tap is in flight, 'lost' when someone else claimed it first */
  claims = $state<Record<string, 'claiming' | 'lost' | 'won'>>({});
  /** per ticket lost: who was faster, as the API said */
  lostTo = $state<Record<string, string | null>>({});
  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #unwatch: (() => void) | null = null;
  #settle: ReturnType<typeof setTimeout> | undefined;

  async load() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.loading = true;
    try {
      this.requests = (await fetchQueue(this.scope, controller.signal)).requests;
      this.error = null;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  setScope(scope: 'mine' | 'area') {
    this.scope = scope;
    void this.load();
  }

  async claim(ticket: string, me: StaffUser) {
    const index = this.requests.findIndex((r) => r.ticket === ticket);
    const before = index >= 0 ? this.requests[index] : null;
    this.claims[ticket] = 'claiming';
    if (before) this.requests[index] = { ...before, status: 'claimed', assignee: { id: me.staffId, name: me.name } };
    try {
      await claimRequest(ticket);
      this.claims[ticket] = 'won';
    } catch (error) {
      const i = this.requests.findIndex((r) => r.ticket === ticket);
      if (before && i >= 0) this.requests[i] = before;
      if (error instanceof ApiError && error.code === 'already_claimed') {
        this.claims[ticket] = 'lost';
        this.lostTo[ticket] = typeof error.details.assigneeName === 'string' ? error.details.assigneeName : null;
      }
      else {
        delete this.claims[ticket];
        throw error;
      }
    }
    void this.load();
  }

  start() {
    void this.load();
    this.#timer ??= setInterval(() => void this.load(), REFRESH_INTERVAL);
    // the staff stream (the session's cookie: the worker's own scope) says when anything in it
    // changes, a new request first of all; the queue reloads at once instead of at the next poll
    this.#unwatch ??= watchStaffStream(() => {
      clearTimeout(this.#settle);
      this.#settle = setTimeout(() => void this.load(), STREAM_SETTLE);
    });
  }

  stop() {
    this.#controller?.abort();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    clearTimeout(this.#settle);
    this.#unwatch?.();
    this.#unwatch = null;
  }
}

export const queue = new Queue();
