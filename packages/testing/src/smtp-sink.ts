import type { AddressInfo } from 'node:net';
import { type AddressObject, type HeaderValue, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server in the test process (`smtp-server`), receiving what the code under test
 * sends over a real socket and parsing it with `mailparser`: no mock of the mail transport.
 *
 *   const sink = await startSmtpSink({ auth: { user: 'notifier', pass: 'secret' } });
 *   // configure the code under test with sink.url: smtp://notifier:secret@127.0.0.1:<port>
 *   const mail = await sink.waitFor((m) => m.to.includes('ann@example.com'));
 *   sink.respondWith(451);   // every RCPT TO now answers "451 ...": a transient refusal
 *   sink.respondWith(550, { times: 1 }); // the next one only, then accept again
 *   sink.respondWith(null);  // accept again
 *   await sink.stop();       // port closed: new connections are refused, open ones get 421
 *   await sink.start();      // listening again on the same port (deliveries that waited arrive)
 *   await sink.close();      // in afterAll
 *
 * Plain SMTP only: STARTTLS is not offered (the client would refuse the built-in self-signed
 * certificate) and with `auth` the credentials travel unencrypted, which is fine on 127.0.0.1.
 */
export interface SmtpSinkOptions {
  /** Require these credentials (AUTH PLAIN/LOGIN); a wrong pair is answered 535. Omitted: no AUTH. */
  auth?: { user: string; pass: string };
  /** Listen on this port; default: a free one the system picks (fixed for later `start()` calls). */
  port?: number;
}

/** One message the sink accepted, parsed. */
export interface SinkMessage {
  /** The envelope (MAIL FROM / RCPT TO), which is where the message actually went. */
  envelope: { from: string; to: string[] };
  /** Address of the `From` header (without display name). */
  from: string;
  /** Addresses of the `To` header. */
  to: string[];
  subject: string;
  /** The text/plain part; '' when there is none. */
  text: string;
  /** The text/html part; '' when there is none. */
  html: string;
  /** The `Message-ID` header, angle brackets included ('' when missing). */
  messageId: string;
  /** Every header by lower-case name (dates as ISO strings, addresses as text, repeated ones joined by ", "). */
  headers: Record<string, string>;
  /** The message as it came over the wire (headers and MIME body). */
  raw: string;
}

/** Where a refusal set with `respondWith` is given. */
export type RefusalStage = 'rcpt' | 'data';

export interface RespondWithOptions {
  /** The reply text after the code; a default that fits the code otherwise. */
  message?: string;
  /** `rcpt` (default): the RCPT TO command is refused; `data`: the message is read, then refused. */
  at?: RefusalStage;
  /** Refuse only this many times, then accept again; default: until `respondWith(null)`. */
  times?: number;
}

export interface SmtpSink {
  /** `smtp://user:pass@127.0.0.1:<port>` (credentials URL-encoded), or `smtp://127.0.0.1:<port>` without auth. */
  readonly url: string;
  readonly port: number;
  /** Accepted messages, oldest first. A message is here before the client gets its 250. */
  readonly messages: readonly SinkMessage[];
  /** How many RCPT TO / DATA commands `respondWith` refused so far. */
  readonly refused: number;
  /**
   * The first message (already received or arriving later) matching `predicate` (default: any).
   * Rejects after `timeoutMs` (default 10 000 ms) naming the subjects that did arrive.
   */
  waitFor(predicate?: (message: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  /**
   * From now on refuse with this SMTP reply code (e.g. 451 transient, 550 permanent) at RCPT TO or
   * DATA; `null` accepts again.
   */
  respondWith(code: number | null, options?: RespondWithOptions): void;
  /** Stops listening (connection refused from now on) and drops open connections with a 421. Idempotent. */
  stop(): Promise<void>;
  /** Listens again on the same port. Idempotent. */
  start(): Promise<void>;
  /** `stop()` for good, forgetting the waiters. */
  close(): Promise<void>;
}

/** A sink gives open connections this long to finish before it drops them (a server going down). */
const CLOSE_GRACE_MS = 50;

const DEFAULT_REPLY: Record<string, string> = {
  '4': 'Requested action aborted: try again later',
  '5': 'Requested action not taken: mailbox unavailable',
};

interface Refusal {
  code: number;
  message: string;
  at: RefusalStage;
  remaining: number;
}

/** Starts a sink listening on 127.0.0.1. Rejects when the port cannot be bound. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters = new Set<(message: SinkMessage) => void>();
  let refusal: Refusal | undefined;
  let refused = 0;
  let server: SMTPServer | undefined;
  let port = options.port ?? 0;

  /** Calls back with the refusal due at this stage, if any (counting it down). */
  function refusalAt(stage: RefusalStage): Error | undefined {
    if (!refusal || refusal.at !== stage) return undefined;
    const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
    refused += 1;
    refusal.remaining -= 1;
    if (refusal.remaining <= 0) refusal = undefined;
    return error;
  }

  const serverOptions: SMTPServerOptions = {
    logger: false,
    // The client would upgrade and then refuse the built-in self-signed certificate.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: CLOSE_GRACE_MS,
    onAuth(auth, _session, callback) {
      const wanted = options.auth;
      if (wanted && auth.username === wanted.user && auth.password === wanted.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      callback(refusalAt('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusedHere = refusalAt('data');
        if (refusedHere) return callback(refusedHere);
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const message = toSinkMessage(parsed, raw, session.envelope);
            messages.push(message);
            for (const waiter of waiters) waiter(message);
            callback(null, `Accepted: queued as ${messages.length}`);
          },
          (error: Error) => callback(Object.assign(error, { responseCode: 554 })),
        );
      });
    },
  };

  async function start(): Promise<void> {
    if (server) return;
    const next = new SMTPServer(serverOptions);
    await new Promise<void>((resolve, reject) => {
      next.server.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.server.off('error', reject);
        resolve();
      });
    });
    // Errors of single connections (a client resetting) are not failures of the sink.
    next.on('error', () => {});
    port = (next.server.address() as AddressInfo).port;
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    if (!current) return;
    server = undefined;
    await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await start();
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : '';

  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    messages,
    get refused() {
      return refused;
    },
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<SinkMessage>((resolve, reject) => {
        const waiter = (message: SinkMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => JSON.stringify(m.subject)).join(', ') || 'none';
          reject(new Error(`smtp sink: no matching message within ${timeoutMs} ms; received: ${seen}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    respondWith(code, respondOptions = {}) {
      if (code === null) {
        refusal = undefined;
        return;
      }
      if (!Number.isInteger(code) || code < 400 || code > 599) throw new RangeError('respondWith: a 4xx or 5xx code');
      refusal = {
        code,
        message: respondOptions.message ?? DEFAULT_REPLY[String(code)[0] as string] ?? 'Refused',
        at: respondOptions.at ?? 'rcpt',
        remaining: respondOptions.times ?? Number.POSITIVE_INFINITY,
      };
    },
    stop,
    start,
    async close() {
      waiters.clear();
      await stop();
    },
  };
}

function toSinkMessage(
  parsed: ParsedMail,
  raw: string,
  envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] },
): SinkMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headers) headers[name] = headerText(value);
  return {
    envelope: {
      from: envelope.mailFrom ? envelope.mailFrom.address : '',
      to: envelope.rcptTo.map((r) => r.address),
    },
    from: addresses(parsed.from)[0] ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html || '',
    messageId: parsed.messageId ?? '',
    headers,
    raw,
  };
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? '')).filter((a) => a !== '');
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('value' in value && typeof value.value === 'string') return value.value;
  return JSON.stringify(value);
}
