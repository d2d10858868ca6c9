import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Channel, OutgoingDelivery, SendOutcome } from './channel';
import { classifySmtpFailure } from './smtp-failure';

export interface SmtpChannelOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://...` (TLS from the start). */
  url: string;
  /** The `From` header: `no-reply@example.com` or `"Wallet Guard" <no-reply@example.com>`. */
  from: string;
  /** How long one attempt may take in all, from connecting to the final answer; default 30 000 ms. */
  timeoutMs?: number;
  /** `smtp://` only: refuse to send unless the server upgrades to TLS (STARTTLS). Default false. */
  requireTls?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Message-IDs need a domain; this one when `from` has none we can use. */
const FALLBACK_ID_DOMAIN = 'notifier.wallet-guard';

/**
 * E-mail over SMTP (nodemailer). One attempt per `send`, never retried here (the deliveries
 * worker retries with backoff), never throws: every failure becomes an outcome, classified by
 * `classifySmtpFailure`.
 *
 * - The Message-ID is `<deliveryId@from-domain>`: a repeated attempt carries the same id, so
 *   mail clients and servers see one message, not two.
 * - `Content-Language` is the message's locale; `Auto-Submitted: auto-generated` (RFC 3834) keeps
 *   out-of-office replies from answering it.
 * - Pooled transport (at most 3 connections, each closed after 60 s idle): notifications come in
 *   bursts (a lockout wave, a case batch), and a pooled connection saves the TCP, TLS and AUTH
 *   round trips of each message; the cap keeps one slow server from taking every socket.
 *   A message never waits in the pool past `timeoutMs`: its attempt is aborted (and reported
 *   transient), so a message reported failed is not sent later behind the worker's back.
 *
 * Throws (at creation only) a TypeError when `url` is not an smtp:// or smtps:// URL; the error
 * never repeats the URL, which holds the password.
 */
export function createSmtpChannel(options: SmtpChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoint = endpointOf(options.url);
  const idDomain = domainOf(options.from) ?? FALLBACK_ID_DOMAIN;
  const transport = createTransport({
    url: options.url,
    pool: true,
    maxConnections: 3,
    idleTimeout: 60_000,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // smtp:// upgrades with STARTTLS when the server offers it; with requireTls a server that does
    // not (or an attacker who strips the offer) gets neither the password nor the links.
    requireTLS: options.requireTls ?? false,
    // Our own HTML only: no attachment or image may make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  // Failures reach each send's callback; an unhandled 'error' event would end the process.
  transport.on('error', () => {});

  return {
    name: 'email',
    target: `${endpoint.scheme}://${endpoint.hostPort}`,
    async send(delivery: OutgoingDelivery): Promise<SendOutcome> {
      const { message } = delivery;
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: delivery.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${delivery.deliveryId}@${idDomain}>`,
          headers: { 'Content-Language': message.locale, 'Auto-Submitted': 'auto-generated' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { kind: 'accepted', response: info.response };
      } catch (error) {
        return classifySmtpFailure(error, { endpoint: endpoint.hostPort, timeoutMs, link: message.link });
      }
    },
    async close() {
      transport.close();
    },
  };
}

function endpointOf(url: string): { scheme: string; hostPort: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('the SMTP URL is not a valid URL (smtp://user:pass@host:port or smtps://...)');
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    throw new TypeError(`the SMTP URL must start with smtp:// or smtps://, not ${scheme}://`);
  }
  // nodemailer's defaults when the URL names no port.
  const port = parsed.port || (scheme === 'smtps' ? '465' : '587');
  return { scheme, hostPort: `${parsed.hostname}:${port}` };
}

function domainOf(from: string): string | undefined {
  const address = addressparser(from, { flatten: true })[0]?.address ?? '';
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return address.includes('@') && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : undefined;
}
