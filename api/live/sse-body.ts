import type { Context } from 'hono';

const encoder = new TextEncoder();

/**
 * A Server-Sent Events body that messages are queued into as they come, without a writer: the hub
 * hands one event to every open stream in a row, and hono's `streamSSE` passed each of its writes
 * through a writer, a TransformStream and its readable — 10 ms of the API's thread for one event
 * to 200 wall screens, against 5 ms queued straight into the readable the server reads
 * (docs/scaling.md). Bounded like the queue it replaces: a client `limit` messages behind (a
 * frozen tab, a dead network) is let go; what was queued still goes, then the end, and the
 * browser's EventSource reconnects and replays from its Last-Event-ID.
 */
export class SseBody {
  static #bodies = new WeakMap<ReadableStream, SseBody>();

  /** The SseBody a response's body is, if it is one (api/guard/stream-cap.ts counts them until they end). */
  static behind(body: ReadableStream | null): SseBody | undefined {
    return body ? SseBody.#bodies.get(body) : undefined;
  }

  readonly readable: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #onClose: (() => void)[] = [];

  constructor(limit: number) {
    this.readable = new ReadableStream<Uint8Array>(
      { start: (controller) => { this.#controller = controller; }, cancel: () => this.close() },
      new CountQueuingStrategy({ highWaterMark: limit }),
    );
    SseBody.#bodies.set(this.readable, this);
  }

  get closed() {
    return this.#closed;
  }

  /** Queues one or more whole messages (`event: …\ndata: …\n\n`, or a comment). */
  write(message: Uint8Array | string): void {
    if (this.#closed) return;
    if ((this.#controller.desiredSize ?? 0) <= 0) return this.close();
    this.#controller.enqueue(typeof message === 'string' ? encoder.encode(message) : message);
  }

  /** Runs `then` when the stream ends (the client went, the limit, the server stopping); at once if it has. */
  onClose(then: () => void): void {
    if (this.#closed) then();
    else this.#onClose.push(then);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#controller.close();
    } catch {
      // cancelled by the client: nothing more to end
    }
    for (const then of this.#onClose.splice(0)) then();
  }

  /** The response: the headers `streamSSE` sends, with the context's own (CORS). */
  response(c: Context): Response {
    c.header('Transfer-Encoding', 'chunked');
    c.header('Content-Type', 'text/event-stream');
    c.header('Cache-Control', 'no-cache');
    c.header('Connection', 'keep-alive');
    return c.newResponse(this.readable);
  }
}
