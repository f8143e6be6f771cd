/** One message of a Server-Sent Events stream, as the browser's EventSource parses it. */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  /** comment lines (": heartbeat") */
  comments: string[];
}

/**
 * Reads an SSE response body message by message (the parsing rules of the HTML standard,
 * enough of them for our streams): `next()` waits for the next message or throws on time-out.
 */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = '';
  #messages: SseMessage[] = [];
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next message; with `event`, the next one of that event type (others are skipped). */
  async next(timeoutMs = 5000, event?: string): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#messages.findIndex((m) => !event || m.event === event);
      if (index >= 0) return this.#messages.splice(0, index + 1).at(-1)!;
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event ?? 'message'} within ${timeoutMs} ms`);
      this.#pending ??= this.#reader.read();
      const result = await Promise.race([this.#pending, new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (result === null) continue;
      this.#pending = null;
      if (result.done) {
        this.ended = true;
        continue;
      }
      this.#parse(this.#decoder.decode(result.value, { stream: true }));
    }
  }

  /** Every `event: request` message within `ms`, parsed. */
  async collect(ms: number, event = 'request'): Promise<any[]> {
    const out: any[] = [];
    const until = Date.now() + ms;
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) return out;
      try {
        const m = await this.next(left, event);
        out.push({ ...JSON.parse(m.data!), eventId: m.id });
      } catch {
        return out;
      }
    }
  }

  /** Wait until the stream ends (true) or `timeoutMs` passes (false). */
  async waitForEnd(timeoutMs: number): Promise<boolean> {
    try {
      for (;;) await this.next(timeoutMs);
    } catch {
      return this.ended;
    }
  }

  async close() {
    await this.#reader.cancel().catch(() => {});
  }

  #parse(text: string) {
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const message: SseMessage = { comments: [] };
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) { message.comments.push(line.slice(1).trim()); continue; }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
        else if (field === 'retry') message.retry = Number(value);
      }
      if (data.length) message.data = data.join('\n');
      this.#messages.push(message);
    }
  }
}
