/**
 * The events waiting for one SSE client. Bounded: a client that stops reading (a frozen tab, a
 * dead network) must not hold the server's memory hostage. Past `limit` the queue overflows and
 * the stream is closed; the browser's EventSource reconnects with Last-Event-ID and catches up
 * from the table, so nothing is lost, only delayed.
 */
export class ClientQueue<T> {
  #items: T[] = [];
  #wake: (() => void) | null = null;
  overflowed = false;
  closed = false;

  constructor(readonly limit = 1000, private readonly onOverflow: () => void = () => {}) {}

  get size() {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.closed || this.overflowed) return;
    if (this.#items.length >= this.limit) {
      this.overflowed = true;
      this.#items = [];
      this.onOverflow();
    } else {
      this.#items.push(item);
    }
    this.#wake?.();
  }

  close(): void {
    this.closed = true;
    this.#items = [];
    this.#wake?.();
  }

  /** Everything queued, waiting up to `timeoutMs` (ms) for something; [] on time-out or close. */
  async take(timeoutMs: number): Promise<T[]> {
    if (this.#items.length === 0 && !this.closed && !this.overflowed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        const self = this;
        function done() {
          clearTimeout(timer);
          self.#wake = null;
          resolve();
        }
        this.#wake = done;
      });
    }
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
