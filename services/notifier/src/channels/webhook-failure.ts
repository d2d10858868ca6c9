import type { SendOutcome } from './channel';

export interface WebhookFailureContext {
  /** The endpoint's origin, named in network failures. */
  origin: string;
  /** The time one attempt may take, named when it ran out. */
  timeoutMs: number;
}

/**
 * The outcome of an answer. 2xx: accepted. 408, 429 and 5xx: transient (the receiver is busy or
 * down and says so). 3xx: transient too: redirects are not followed, so the configured URL is
 * wrong, which the operator fixes while messages wait (like refused SMTP credentials). Any other
 * 4xx: permanent (the receiver refuses this message). The reason names the status only, never
 * the body, which could echo the link.
 */
export function classifyWebhookStatus(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'accepted', response: `webhook ${status}` };
  if (status >= 300 && status < 400) {
    return { kind: 'transient', reason: `webhook ${status}: redirect not followed (check the webhook URL)` };
  }
  if (status === 408 || status === 429 || status >= 500) return { kind: 'transient', reason: `webhook ${status}` };
  return { kind: 'permanent', reason: `webhook ${status}` };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH)/;

/**
 * The outcome of a request that got no answer: always transient (timeout, refused, reset, DNS,
 * TLS: the receiver or the network comes back). Never throws; the reason names the origin and
 * the system error code only.
 */
export function classifyWebhookFailure(error: unknown, context: WebhookFailureContext): SendOutcome {
  const at = context.origin;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { kind: 'transient', reason: `timeout after ${context.timeoutMs} ms (${at})` };
  }
  // fetch (undici) rejects with TypeError('fetch failed') whose cause is the system error.
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (code === 'ECONNREFUSED') return { kind: 'transient', reason: `connection refused (${at})` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return { kind: 'transient', reason: `connection reset (${at})` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'transient', reason: `dns lookup failed (${at})` };
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return { kind: 'transient', reason: `timeout (${at})` };
  if (TLS_CODE.test(code)) return { kind: 'transient', reason: `tls handshake failed (${at}): ${code}` };
  return { kind: 'transient', reason: `request failed${code ? ` (${code})` : ''} (${at})` };
}
