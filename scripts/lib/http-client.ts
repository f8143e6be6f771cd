import http from 'node:http';

/**
 * A lean HTTP client for the latency benches: node:http on one kept-alive connection, as wrk or a
 * browser's reused connection would call. Node's fetch (undici) costs the calling process about
 * 1.4 ms a call on this machine (a 404 answered without the database: 1.9 ms p50 by fetch, 0.5 ms
 * by this), on the same two cores as the server it measures (docs/scaling.md).
 */
export function keptAlive(base: string) {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const call = (method: string, path: string, body?: unknown) => new Promise<{ status: number; text: string }>((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
    const req = http.request({ host: hostname, port, path, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    close: () => agent.destroy(),
  };
}
