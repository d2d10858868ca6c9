import { TOPICS } from '@wallet-guard/contracts';
import type { EffectHandler } from '@wallet-guard/messaging';
import { recordUndeliverable } from '../deliveries/deliveries-store';
import { messageFromCaseEvent, negotiateLocale, onCallMessageFromCaseEvent } from '../messages';
import { deliverableUntil, deliverEverywhere, type IntakeDeps } from './intake-deps';
import { findRecipient } from './recipients';

/**
 * What the customer should hear about their cases (opened with its number, an agent's public
 * reply, the case waiting on them, resolved: `messageFromCaseEvent` decides), addressed through
 * auth's account record; and the desk's on-call address hears of a P1/P2 case escalated for a
 * missed first response (`sla.escalated` with `onCall`). Other case events are read and left alone.
 */
export function caseEventsHandler(deps: IntakeDeps): EffectHandler<typeof TOPICS.caseEvents> {
  return {
    group: 'notifier.case-events',
    topic: TOPICS.caseEvents,
    consumer: { chunkSize: 20, partitionsConcurrently: 3 },
    async effect({ event }, context) {
      const onCall = onCallMessageFromCaseEvent(event);
      if (onCall) {
        await deliverEverywhere(
          deps,
          {
            eventId: event.eventId,
            occurredAt: event.occurredAt,
            accountId: event.accountId,
            caseId: event.payload.caseId,
            to: onCall.email,
            message: deps.renderer.render(onCall),
            notAfter: deliverableUntil(deps, event.occurredAt),
          },
          context,
        );
        return;
      }
      // Decide first whether the customer hears of it at all: most case events need no lookup.
      const draft = messageFromCaseEvent(event, { email: '', locale: event.payload.locale ?? 'en' });
      if (!draft) return;
      const recipient = await findRecipient(deps.auth, event.accountId, context, deps.logger);
      if (!recipient) {
        // Recorded, not dropped: support sees why the customer heard nothing.
        await recordUndeliverable(
          deps.db,
          deps.channels.map((c) => c.name),
          {
            eventId: event.eventId,
            accountId: event.accountId,
            caseId: event.payload.caseId,
            kind: draft.kind,
            locale: negotiateLocale(draft.locale),
          },
          'auth has no such account',
          deps.clock(),
        );
        return;
      }
      const message = messageFromCaseEvent(event, recipient);
      if (!message) return;
      await deliverEverywhere(
        deps,
        {
          eventId: event.eventId,
          occurredAt: event.occurredAt,
          accountId: event.accountId,
          caseId: event.payload.caseId,
          to: recipient.email,
          message: deps.renderer.render(message),
          notAfter: deliverableUntil(deps, event.occurredAt),
        },
        context,
      );
    },
  };
}
