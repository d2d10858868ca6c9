import { TOPICS } from '@wallet-guard/contracts';
import type { EventHandler } from '@wallet-guard/messaging';
import { SYSTEM } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import { incidentKinds, theftJoins } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';

/**
 * risk.theft-suspected.v1 -> a P1 suspected_theft case with its flags, transactions and the
 * security events behind it; or, when the account already has an open lockout, freeze or hijack
 * case, that case joins the theft, rises to P1 and gets the evidence.
 */
export function theftSuspectedHandler(context: CaseContext): EventHandler<typeof TOPICS.theftSuspected> {
  return {
    group: 'support-cases.theft-suspected',
    topic: TOPICS.theftSuspected,
    async handle(trx, events) {
      for (const { event } of events) {
        const p = event.payload;
        const rules = p.reasons.map((r) => r.rule).join(', ');
        await recordIncident(trx, context, {
          kind: incidentKinds.theft(event.accountId),
          accountId: event.accountId,
          joinKeys: theftJoins(event.accountId),
          actor: SYSTEM,
          detail: `Suspected theft (score ${p.score}): ${rules}`,
          evidence: [
            ...p.flagIds.map((ref) => ({ kind: 'flag' as const, ref })),
            ...p.transactionIds.map((ref) => ({ kind: 'transaction' as const, ref })),
            ...p.securityEventIds.map((ref) => ({ kind: 'security_event' as const, ref })),
          ],
          data: { eventId: event.eventId, score: p.score, reasons: p.reasons, rulesVersion: p.rulesVersion },
        });
      }
    },
  };
}
