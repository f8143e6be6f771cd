import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// Receivers the outbox tests start on a free local port: nothing leaves the machine.

export type Hook = { at: number; headers: IncomingHttpHeaders; raw: string; body: any };

/**
 * A webhook receiver (an SMS gateway's stand-in): records every POST; answers `failFirst`
 * requests with 503 before it accepts, or never answers at all with `hang`.
 */
export async function webhookReceiver({ failFirst = 0, hang = false } = {}) {
  const received: Hook[] = [];
  let failures = 0;
  const hanging: (() => void)[] = [];
  const server = createHttpServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const hook = { at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) };
      if (hang) {
        received.push(hook);
        hanging.push(() => res.destroy());
        return;
      }
      if (failures < failFirst) {
        failures++;
        received.push(hook);
        res.writeHead(503).end('busy');
        return;
      }
      received.push(hook);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    /** the POSTs it accepted (answered 200) */
    accepted: () => received.slice(hang ? received.length : failFirst),
    close: () => new Promise<void>((resolve) => {
      for (const end of hanging) end();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type Mail = { from: string; to: string[]; data: string };

/**
 * An SMTP sink: the few commands nodemailer speaks to a server that offers no TLS and no auth
 * (EHLO, MAIL, RCPT, DATA, QUIT), in 40 lines on `net` — no dependency for a test double.
 */
export async function smtpSink() {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let mail: Mail = { from: '', to: [], data: '' };
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 sink.test ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          say('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') say('250 sink.test');
        else if (verb === 'MAIL') { mail.from = line.replace(/^MAIL FROM:\s*/i, '').replace(/[<>]/g, '').split(' ')[0]; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') { mail.to.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, '').split(' ')[0]); say('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; say('354 go ahead'); }
        else if (verb === 'QUIT') { say('221 bye'); socket.end(); }
        else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
        else say('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
