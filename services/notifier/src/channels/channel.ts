import type { DeliveryChannel, MessageKind } from '@wallet-guard/contracts';

/** A message written for one person in one language: what every channel sends. */
export interface RenderedMessage {
  kind: MessageKind;
  /** The locale the text is in, after BCP 47 fallback ("zh-CN", "en"). */
  locale: string;
  subject: string;
  html: string;
  text: string;
  /** The main link of the message (its token, if any, in the fragment), for channels without HTML. */
  link: string | null;
}

/** One message on its way to one person. */
export interface OutgoingDelivery {
  /** Stable per event and channel: the e-mail's Message-ID and the webhook's `webhook-id` derive from it. */
  deliveryId: string;
  eventId: string;
  accountId: string;
  /** The person's e-mail address. */
  to: string;
  message: RenderedMessage;
}

/**
 * What one attempt came to. `transient` is worth retrying (connection refused or reset, timeout,
 * SMTP 4xx, webhook 5xx, 408 or 429); `permanent` is not (SMTP 5xx, webhook 4xx). `reason` is
 * short, safe to store and show: never the message, its link or a server's echo of them.
 */
export type SendOutcome =
  | { kind: 'accepted'; response: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/** A way out. `send` never throws: every failure is an outcome. */
export interface Channel {
  readonly name: DeliveryChannel;
  /** Where it sends, safe to show (SMTP host and port, webhook host): for logs and the deliveries API. */
  readonly target: string;
  send(delivery: OutgoingDelivery): Promise<SendOutcome>;
  close(): Promise<void>;
}
