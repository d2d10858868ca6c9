import { Webhook } from 'standardwebhooks';
import type { Channel, OutgoingDelivery, SendOutcome } from './channel';
import { classifyWebhookFailure, classifyWebhookStatus } from './webhook-failure';

export interface WebhookChannelOptions {
  /** The wallet's endpoint (http:// or https://), called with POST. */
  url: string;
  /** The shared signing secret, `whsec_` followed by base64 (Standard Webhooks). */
  secret: string;
  /** How long one attempt may take, from connecting to the response headers; default 10 000 ms. */
  timeoutMs?: number;
  /** The clock of `webhook-timestamp` and the body's `timestamp`; default the system clock. */
  now?: () => Date;
}

/** What the wallet receives: the rendered message, for its own push or SMS. */
export interface WebhookPayload {
  /** `notification.unlock_link`, `notification.case_opened`, ... */
  type: `notification.${OutgoingDelivery['message']['kind']}`;
  /** When this attempt was made (ISO 8601); the signed `webhook-timestamp` is the same instant. */
  timestamp: string;
  data: {
    deliveryId: string;
    eventId: string;
    accountId: string;
    kind: OutgoingDelivery['message']['kind'];
    locale: string;
    email: string;
    subject: string;
    text: string;
    link: string | null;
  };
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The wallet's own delivery (push, SMS) over an HTTP webhook signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 of `id.timestamp.body`).
 * `webhook-id` is the deliveryId, the same on every attempt, so the receiver can drop repeats;
 * each attempt is signed afresh with its own timestamp, so a retry hours later still verifies
 * within the receiver's tolerance window. Redirects are not followed (a signed request goes
 * where it was configured to go, nowhere else). One attempt per `send`; never throws.
 *
 * Throws (at creation only) when the URL is not http(s) or the secret is not a valid key.
 */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  const url = parseUrl(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the webhook URL must be http:// or https://, not ${url.protocol}//`);
  }
  const signer = new Webhook(options.secret);

  return {
    name: 'webhook',
    target: url.origin,
    async send(delivery: OutgoingDelivery): Promise<SendOutcome> {
      try {
        // Whole seconds: the signed header has no more, and the body's timestamp is the same instant.
        const at = new Date(Math.floor(now().getTime() / 1000) * 1000);
        const body = JSON.stringify(payloadOf(delivery, at));
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': delivery.deliveryId,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signer.sign(delivery.deliveryId, at, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        // The body is never read: it could echo the link, and a reason must not carry it.
        await response.body?.cancel().catch(() => {});
        return classifyWebhookStatus(response.status);
      } catch (error) {
        return classifyWebhookFailure(error, { origin: url.origin, timeoutMs });
      }
    },
    async close() {},
  };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    // Not repeated: a webhook URL may carry a key in its query.
    throw new TypeError('the webhook URL is not a valid URL');
  }
}

function payloadOf(delivery: OutgoingDelivery, at: Date): WebhookPayload {
  const { message } = delivery;
  return {
    type: `notification.${message.kind}`,
    timestamp: at.toISOString(),
    data: {
      deliveryId: delivery.deliveryId,
      eventId: delivery.eventId,
      accountId: delivery.accountId,
      kind: message.kind,
      locale: message.locale,
      email: delivery.to,
      subject: message.subject,
      text: message.text,
      link: message.link,
    },
  };
}
