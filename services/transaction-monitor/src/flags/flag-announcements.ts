import { createEvent, type FlagReason, TOPICS } from '@wallet-guard/contracts';
import type { OutboxMessage } from '@wallet-guard/messaging';
import { MONITOR_PRODUCER } from '../outbox-producer';
import type { FlagRecord } from './flag-record';

/** Every rule once, with the most points any of the flags gave it. */
function strongestReasons(flags: readonly FlagRecord[]): FlagReason[] {
  const byRule = new Map<string, FlagReason>();
  for (const reason of flags.flatMap((f) => f.reasons.filter((r) => !r.shadow))) {
    const seen = byRule.get(reason.rule);
    if (!seen || reason.points > seen.points) byRule.set(reason.rule, reason);
  }
  return [...byRule.values()];
}

/**
 * What the flags of one batch announce, in order per account:
 * - `risk.transaction-flags.v1` for each review or theft decision; a flag that only shadow-mode
 *   rules lift to review or theft is announced with `shadow: true` and its shadow score, for
 *   whoever evaluates the rules (support-cases opens nothing for it);
 * - `risk.theft-suspected.v1` once per account with theft flags in the batch, carrying the flag
 *   ids and the security events behind them.
 */
export function flagAnnouncements(flags: readonly FlagRecord[]): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  const thefts = new Map<string, FlagRecord[]>();
  for (const flag of flags) {
    const live = flag.decision !== 'allow';
    if (!live && flag.shadowDecision === 'allow') continue;
    messages.push({
      topic: TOPICS.transactionFlags,
      event: createEvent(TOPICS.transactionFlags, {
        type: 'transaction.flagged',
        version: 1,
        producer: MONITOR_PRODUCER,
        accountId: flag.accountId,
        payload: {
          flagId: flag.id,
          transactionId: flag.transactionId,
          transactionType: flag.transactionType,
          amountMinor: flag.amountMinor,
          currency: flag.currency,
          score: live ? flag.score : flag.shadowScore,
          decision: live ? flag.decision : flag.shadowDecision,
          reasons: flag.reasons,
          rulesVersion: flag.rulesVersion,
          shadow: !live,
        },
      }),
    });
    if (flag.decision === 'suspected_theft') thefts.set(flag.accountId, [...(thefts.get(flag.accountId) ?? []), flag]);
  }
  for (const [accountId, theft] of thefts) {
    messages.push({
      topic: TOPICS.theftSuspected,
      event: createEvent(TOPICS.theftSuspected, {
        type: 'theft.suspected',
        version: 1,
        producer: MONITOR_PRODUCER,
        accountId,
        payload: {
          flagIds: theft.map((f) => f.id),
          transactionIds: theft.map((f) => f.transactionId),
          securityEventIds: [...new Set(theft.flatMap((f) => f.securityEventIds))],
          score: Math.max(...theft.map((f) => f.score)),
          reasons: strongestReasons(theft),
          rulesVersion: (theft[theft.length - 1] as FlagRecord).rulesVersion,
        },
      }),
    });
  }
  return messages;
}
