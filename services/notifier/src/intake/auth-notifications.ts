import { TOPICS } from '@wallet-guard/contracts';
import type { EffectHandler } from '@wallet-guard/messaging';
import { messageFromNotification, type OutgoingMessage } from '../messages';
import { deliverableUntil, deliverEverywhere, type IntakeDeps } from './intake-deps';

/**
 * Every notification auth emits (unlock and reset links, "was this you?", credential changes,
 * freezes, recovery codes running low), written in the recipient's language and sent on every
 * channel. The event carries the address and the token; the token goes into the link's fragment
 * and nowhere else (not the deliveries table, not the logs).
 */
export function authNotificationsHandler(deps: IntakeDeps): EffectHandler<typeof TOPICS.notifications> {
  return {
    group: 'notifier.notifications',
    topic: TOPICS.notifications,
    // Offsets are committed every few messages: a restart resends nothing (the deliveries table
    // says what went out) but re-reads little.
    consumer: { chunkSize: 20, partitionsConcurrently: 3 },
    async effect({ event }, context) {
      const outgoing = messageFromNotification(event);
      const message = deps.renderer.render(outgoing);
      await deliverEverywhere(
        deps,
        {
          eventId: event.eventId,
          occurredAt: event.occurredAt,
          accountId: event.accountId,
          caseId: null,
          to: event.payload.email,
          message,
          notAfter: deliverableUntil(deps, event.occurredAt, linkExpiry(outgoing)),
        },
        context,
      );
    },
  };
}

/** When the message's link stops working, if it has one: sending it later would be useless. */
function linkExpiry(message: OutgoingMessage): Date | undefined {
  switch (message.kind) {
    case 'unlock_link':
    case 'password_reset_link':
      return message.expiresAt;
    case 'new_sign_in':
    case 'password_changed':
      return message.freezeTokenExpiresAt;
    case 'two_factor_changed':
      return message.freeze?.expiresAt;
    // A code that no longer works is not worth sending.
    case 'sign_in_code':
      return message.expiresAt;
    default:
      return undefined;
  }
}
