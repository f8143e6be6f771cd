import { readFileSync } from 'node:fs';
import http from 'node:http';

// A wall screen as the benches open one: a server-sent-events connection over a real socket,
// parsing each event as it comes and noting when it arrived (scripts/bench-live.ts, bench-county.ts).

export class Screen {
  lastEventId: string | null = null;
  received: { id: string; ticket: string; at: number }[] = [];
  opened: Promise<void>;
  #request: http.ClientRequest;
  #waiters = new Map<string, (at: number) => void>();

  constructor(base: string, lastEventId?: string) {
    let ready!: () => void;
    let failed!: (e: Error) => void;
    this.opened = new Promise((resolve, reject) => { ready = resolve; failed = reject; });
    this.#request = http.get(`${base}/api/events`, {
      agent: false,
      // as a browser asks: the server must still not compress (buffer) the stream
      headers: { 'accept-encoding': 'gzip, deflate, br', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    }, (res) => {
      if (res.statusCode !== 200) return failed(new Error(`GET /api/events → ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes(': connected')) ready();
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!id || !data) continue;
          const at = performance.now();
          const { ticket } = JSON.parse(data);
          this.lastEventId = id;
          this.received.push({ id, ticket, at });
          this.#waiters.get(ticket)?.(at);
        }
      });
    });
    this.#request.on('error', (e) => failed(e));
  }

  /** When the event of this ticket arrived (now or later). */
  arrival(ticket: string): Promise<number> {
    const seen = this.received.find((r) => r.ticket === ticket);
    if (seen) return Promise.resolve(seen.at);
    return new Promise((resolve) => this.#waiters.set(ticket, resolve));
  }

  close() {
    this.#request.destroy();
  }
}

/** The resident set size of a process, in KB (Linux). */
export function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, ''));
}
