import { TOPICS } from '@wallet-guard/contracts';
import type { EventHandler } from '@wallet-guard/messaging';
import { type RescoringDeps, rescoreAfterLateEvents } from '../rescoring/rescore-late-events';
import { toTimelineEntry } from './timeline-entry';
import { recordSecurityEvents } from './timeline-repo';

/**
 * Keeps each account's security timeline from `auth.security-events.v1`: sign-ins (with device,
 * IP and whether they are new), credential and 2FA changes, locks, unlocks, freezes. Idempotent
 * on eventId twice over: the bus's inbox, and the table's key. An event stored for the first
 * time after transactions it preceded rescores them (`rescoreAfterLateEvents`, same transaction):
 * a redelivered one is not stored again, so it rescores and announces nothing.
 */
export function securityEventsHandler(rescoring: RescoringDeps): EventHandler<typeof TOPICS.securityEvents> {
  return {
    group: 'transaction-monitor.security-events',
    topic: TOPICS.securityEvents,
    async handle(trx, events) {
      const stored = await recordSecurityEvents(
        trx,
        events.map((e) => toTimelineEntry(e.event)),
      );
      await rescoreAfterLateEvents(trx, rescoring, stored);
    },
  };
}
