import type { SendOutcome } from './channel';
import { safeServerText } from './safe-reason';

/** What nodemailer puts on the errors it rejects a send with (every field may be missing). */
interface NodemailerError {
  /** nodemailer's kind: ECONNECTION, ETIMEDOUT, ESOCKET, EDNS, ETLS, EAUTH, EENVELOPE, EMESSAGE, EABORT... */
  code?: unknown;
  /** The system error beneath it, when there is one: ECONNREFUSED, ECONNRESET, ENOTFOUND... */
  originalCode?: unknown;
  /** The SMTP reply code, when a reply caused the failure. */
  responseCode?: unknown;
  /** The whole SMTP reply line(s), code first. */
  response?: unknown;
}

export interface SmtpFailureContext {
  /** `host:port`, named in network failures (no credentials). */
  endpoint: string;
  /** The time one attempt may take, named when it ran out. */
  timeoutMs: number;
  /** The message's link, never to appear in a reason even when a server echoes it. */
  link: string | null;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH)/;

/**
 * The outcome of a send nodemailer rejected. Decisions:
 * - No answer at all (refused, reset, timed out, DNS, TLS handshake, no greeting, connection
 *   closed) is transient: the server or the network comes back, and the message waits for it.
 * - An SMTP reply decides by its class (RFC 5321 4.2.1): 4xx transient, 5xx permanent.
 * - Credentials refused (EAUTH, usually 535) is transient although the reply is a 5xx: it is the
 *   operator's configuration that is wrong, not the recipient; once they fix it the waiting
 *   messages go out, instead of every message meanwhile being failed for good.
 * - Refused before anything reached a server (an invalid address, a message over the size the
 *   server announced) is permanent: sending it again changes nothing.
 * - Anything not recognised is transient: a message waits (bounded by the retry limit) rather
 *   than being dropped on a guess.
 * Never throws; the reason never contains the message, its link or a token.
 */
export function classifySmtpFailure(error: unknown, context: SmtpFailureContext): SendOutcome {
  const e: NodemailerError = typeof error === 'object' && error !== null ? (error as NodemailerError) : {};
  const code = typeof e.code === 'string' ? e.code : '';
  const systemCode = typeof e.originalCode === 'string' ? e.originalCode : '';
  const reply = typeof e.response === 'string' ? e.response : '';
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : Number(/^\d{3}/.exec(reply)?.[0] ?? 0);
  const replyText = () => safeServerText(reply.replace(/^\d{3}[ -]?/, ''), context.link);
  const at = context.endpoint;

  if (code === 'EABORT') return transient(`timeout after ${context.timeoutMs} ms (${at})`);
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    const answer = replyCode ? ` (${[replyCode, replyText()].filter(Boolean).join(' ')})` : '';
    return transient(`smtp authentication failed${answer}: check the SMTP credentials`);
  }
  if (replyCode >= 400 && replyCode < 500) return transient(`smtp ${replyCode}: ${replyText()}`);
  if (replyCode >= 500 && replyCode < 600) return permanent(`smtp ${replyCode}: ${replyText()}`);

  if (systemCode === 'ECONNREFUSED') return transient(`connection refused (${at})`);
  if (systemCode === 'ECONNRESET' || systemCode === 'EPIPE') return transient(`connection reset (${at})`);
  if (systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN' || code === 'EDNS') {
    return transient(`dns lookup failed (${at})`);
  }
  if (code === 'ETIMEDOUT' || systemCode === 'ETIMEDOUT') return transient(`timeout (${at})`);
  if (code === 'ETLS' || TLS_CODE.test(systemCode)) {
    return transient(`tls handshake failed (${at})${systemCode ? `: ${systemCode}` : ''}`);
  }
  if (code === 'ECONNECTION') return transient(`connection closed by the server (${at})`);
  if (code === 'ESOCKET') return transient(`socket error ${systemCode || 'unknown'} (${at})`);
  if (code === 'EENVELOPE') return permanent('invalid sender or recipient address');
  if (code === 'EMESSAGE') return permanent('message refused before sending (too large or malformed)');
  return transient(`smtp error ${code || systemCode || 'unknown'} (${at})`);
}

const transient = (reason: string): SendOutcome => ({ kind: 'transient', reason });
const permanent = (reason: string): SendOutcome => ({ kind: 'permanent', reason });
