import { createHmac } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { OutboxChannel } from '../contract/vocabulary.ts';

/** One message ready to leave: its outbox id (the receiver's key against doubles), whom to, and its words. */
export type OutboundMessage = { id: number; kind: string; ticket: string; to: string; subject: string; text: string };

/** A way out of the system. `send` resolves once the receiver accepted the message and throws otherwise. */
export interface Sender {
  channel: OutboxChannel;
  send(message: OutboundMessage): Promise<void>;
  close?(): void;
}

/** The receiver refused or could not be reached; `message` holds no recipient (it is logged and stored). */
export class SendFailed extends Error {}

/**
 * SMS through an HTTP gateway: POST JSON to `url`. `format: 'json'` (default) sends
 * `{ id, kind, ticket, to, text }` for an SMS gateway (or a small adapter in front of one);
 * `'wecom'` sends an enterprise WeChat group robot's text message, @-mentioning the phone number.
 * With a `secret`, `X-GridMap-Signature: sha256=<hex HMAC of the body>` proves it came from us;
 * `Idempotency-Key` is the outbox id, so a receiver can drop the rare second delivery.
 */
export function webhookSender({ url, secret, format = 'json', timeoutMs = 10_000 }: { url: string; secret?: string; format?: 'json' | 'wecom'; timeoutMs?: number }): Sender {
  return {
    channel: 'sms',
    async send(m) {
      const body = JSON.stringify(format === 'wecom'
        ? { msgtype: 'text', text: { content: m.text, mentioned_mobile_list: [m.to] } }
        : { id: m.id, kind: m.kind, ticket: m.ticket, to: m.to, text: m.text });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': `gridmap-outbox-${m.id}` };
      if (secret) headers['x-gridmap-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new SendFailed(`webhook unreachable (${(error as Error).name})`);
      }
      await res.body?.cancel();
      if (!res.ok) throw new SendFailed(`webhook answered ${res.status}`);
    },
  };
}

/** E-mail through an SMTP server (nodemailer): `url` like smtp://user:pass@host:587, `from` the sender's address. */
export function smtpSender({ url, from }: { url: string; from: string }): Sender {
  const transport = createTransport(url);
  return {
    channel: 'email',
    async send(m) {
      try {
        await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId: `<gridmap-outbox-${m.id}@${from.split('@')[1] ?? 'gridmap'}>` });
      } catch (error) {
        // SMTP errors often quote the address: keep only the reply code
        const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code ?? 'error';
        throw new SendFailed(`smtp failed (${code})`);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * The senders this server's environment configures (docs/notifications.md):
 * NOTIFY_WEBHOOK_URL (+ NOTIFY_WEBHOOK_SECRET, NOTIFY_WEBHOOK_FORMAT=json|wecom) and SMTP_URL + SMTP_FROM.
 */
export function sendersFromEnv(env: NodeJS.ProcessEnv = process.env): Sender[] {
  const senders: Sender[] = [];
  if (env.NOTIFY_WEBHOOK_URL) {
    const format = env.NOTIFY_WEBHOOK_FORMAT === 'wecom' ? 'wecom' : 'json';
    senders.push(webhookSender({ url: env.NOTIFY_WEBHOOK_URL, secret: env.NOTIFY_WEBHOOK_SECRET || undefined, format }));
  }
  if (env.SMTP_URL) senders.push(smtpSender({ url: env.SMTP_URL, from: env.SMTP_FROM || 'gridmap@localhost' }));
  return senders;
}
