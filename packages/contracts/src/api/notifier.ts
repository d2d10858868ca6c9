import { z } from 'zod';
import { accountId, isoDateTime } from '../envelope';
import { page } from '../http';
import type { ApiEndpoint } from './endpoint';

/**
 * HTTP shapes of the notifier (scope `internal`): support-cases shows an account's deliveries on
 * its cases, because "I never got the e-mail" is the first thing a locked-out customer says.
 */

/**
 * What the notifier sends, one kind per message a person receives: the nine notification types
 * of `auth.notifications.v1` (without their `notification.` prefix) and the four case messages
 * derived from `support.case-events.v1`.
 */
export const MESSAGE_KINDS = [
  'unlock_link',
  'password_reset_link',
  'new_sign_in',
  'password_changed',
  'account_frozen',
  'two_factor_changed',
  'recovery_codes_low',
  'sign_in_code',
  'lockout_final_warning',
  'case_opened',
  'case_public_note',
  'case_waiting_on_customer',
  'case_resolved',
  'oncall_escalation',
] as const;
export const messageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof messageKind>;

/** `email` over SMTP (or the development mailbox); `webhook` to the wallet's own push or SMS. */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export const deliveryChannel = z.enum(DELIVERY_CHANNELS);
export type DeliveryChannel = z.infer<typeof deliveryChannel>;

/**
 * `pending`: recorded, not tried yet; `sending`: an attempt is under way; `retrying`: the last
 * attempt failed for a reason that passes (connection refused, SMTP 4xx, webhook 5xx or timeout)
 * and another follows; `sent`: the mail server or webhook accepted it; `failed`: refused for good
 * (SMTP 5xx, webhook 4xx, no such account) or out of attempts.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'retrying', 'sent', 'failed'] as const;
export const deliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

/** One message on one channel. No token, code or body is kept: only what support needs to see. */
export const deliveryView = z.object({
  id: z.uuid(),
  /** The event the message answers (auth's notification or support-cases' case event). */
  eventId: z.uuid(),
  accountId,
  /** Set for case messages. */
  caseId: z.uuid().nullable(),
  kind: messageKind,
  channel: deliveryChannel,
  /** The BCP 47 locale the message was written in, after fallback (e.g. "zh-CN", "en"). */
  locale: z.string(),
  /** The person's address, masked ("a***e@example.com"), on every channel (a webhook carries it too). */
  recipient: z.string(),
  status: deliveryStatus,
  attempts: z.number().int().nonnegative(),
  createdAt: isoDateTime,
  lastAttemptAt: isoDateTime.nullable(),
  /** When the mail server or webhook accepted it. */
  sentAt: isoDateTime.nullable(),
  /** While `retrying`: when the next attempt is due. */
  nextAttemptAt: isoDateTime.nullable(),
  /** The server's answer on success, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
  serverResponse: z.string().nullable(),
  /** Why the last attempt failed, e.g. "smtp 550: mailbox unavailable", "connection refused". */
  lastError: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const deliveriesQuery = z.object({
  accountId,
  /** Only the messages about this case. */
  caseId: z.uuid().optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeliveriesQuery = z.input<typeof deliveriesQuery>;

export const deliveriesPage = page(deliveryView);
export type DeliveriesPage = z.infer<typeof deliveriesPage>;

/** The notifier's internal API (scope `internal`, `x-api-key`), as `createServiceClient` calls it. */
export const notifierApi = {
  /** An account's deliveries, newest first. */
  listDeliveries: { method: 'GET', path: '/v1/deliveries', query: deliveriesQuery, responses: { 200: deliveriesPage } },
} as const satisfies Record<string, ApiEndpoint>;
