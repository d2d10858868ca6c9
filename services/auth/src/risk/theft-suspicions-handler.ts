import { TOPICS } from '@wallet-guard/contracts';
import type { EventHandler } from '@wallet-guard/messaging';
import { recordTheftSuspicions } from './risk-store';

/**
 * risk.theft-suspected.v1 -> `auth_risk_theft_suspicions`: the monitor's suspicion about an
 * account, which steps up (or, with other signals, denies) its sign-ins while it is open (the
 * policy's `theft_suspected.openHours` from the event's `occurredAt`). Idempotent on eventId twice
 * over: the bus's inbox, and the table's key.
 */
export function theftSuspicionsHandler(): EventHandler<typeof TOPICS.theftSuspected> {
  return {
    group: 'auth.theft-suspected',
    topic: TOPICS.theftSuspected,
    async handle(trx, events) {
      await recordTheftSuspicions(
        trx,
        events.map(({ event }) => ({
          eventId: event.eventId,
          accountId: event.accountId.toLowerCase(),
          suspectedAt: new Date(event.occurredAt),
          score: event.payload.score,
          rulesVersion: event.payload.rulesVersion,
        })),
      );
    },
  };
}
