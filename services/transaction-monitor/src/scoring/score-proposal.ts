import type { ScoreResult, WalletTransaction } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import { loadCounterparties } from '../profiles/counterparties-repo';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { newProfileRecord } from '../profiles/profile-state';
import { readProfile } from '../profiles/profiles-repo';
import { loadTimelines } from '../security-timeline/timeline-repo';
import { evaluateInOrder, timelineReachMs } from './evaluate';
import type { RulesSnapshot } from './rules-store';
import type { DecisionThresholds } from './score';

/**
 * Scores a transaction the wallet is about to make, with the same rules, profile and timeline
 * as the pipeline, and writes nothing: no profile change, no flag, no event.
 */
export async function scoreProposal(
  db: Kysely<Database>,
  rules: RulesSnapshot,
  thresholds: DecisionThresholds,
  proposal: WalletTransaction,
): Promise<ScoreResult> {
  const tx = toMonitoredTransaction(proposal);
  const profile = (await readProfile(db, tx.accountId)) ?? newProfileRecord(tx.accountId);
  const timelines = await loadTimelines(
    db,
    [tx.accountId],
    new Date(tx.at - timelineReachMs(rules.rules)),
    new Date(tx.at),
  );
  const counterparties = await loadCounterparties(
    db,
    tx.counterparty === null ? [] : [{ accountId: tx.accountId, counterparty: tx.counterparty }],
  );
  const { evaluated } = evaluateInOrder(
    [tx],
    { profiles: new Map([[tx.accountId, profile]]), counterparties, timelines },
    rules.rules,
    thresholds,
  );
  const { outcome } = evaluated[0] as (typeof evaluated)[number];
  return {
    transactionId: tx.transactionId,
    score: outcome.score,
    decision: outcome.decision,
    shadowScore: outcome.shadowScore,
    shadowDecision: outcome.shadowDecision,
    reasons: outcome.reasons,
    rulesVersion: rules.version,
  };
}
