import type { MonitorConfig } from '@wallet-guard/config';
import type { RiskDecision, ScoreResult, WalletTransaction } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import type { ConfirmationVerifier } from '../confirmations/confirmation-verifier';
import type { ListsSnapshot } from '../lists/lists-snapshot';
import { readNetwork } from '../network/network-step';
import { loadCounterparties } from '../profiles/counterparties-repo';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { newProfileRecord } from '../profiles/profile-state';
import { readProfile } from '../profiles/profiles-repo';
import { loadTimelines } from '../security-timeline/timeline-repo';
import { evaluateInOrder, timelineReachMs } from './evaluate';
import type { RulesSnapshot } from './rules-store';
import type { DecisionThresholds } from './score';

/** From which decision a score asks for the owner's confirmation (MONITOR_CONFIRMATION_REQUIRED_AT). */
export type ConfirmationRequiredAt = MonitorConfig['confirmation']['requiredAt'];

const RANK: Record<RiskDecision, number> = { allow: 0, review: 1, suspected_theft: 2 };
const REQUIRED_FROM: Record<ConfirmationRequiredAt, number> = { review: 1, block: 2, never: Number.POSITIVE_INFINITY };

/**
 * Whether the wallet should have the owner confirm the payment: its decision reached the
 * configured level (`block` = suspected_theft) and it was not confirmed already. Pure.
 */
export const needsConfirmation = (decision: RiskDecision, confirmed: boolean, requiredAt: ConfirmationRequiredAt) =>
  !confirmed && RANK[decision] >= REQUIRED_FROM[requiredAt];

export interface ProposalScoring {
  db: Kysely<Database>;
  rules: RulesSnapshot;
  thresholds: DecisionThresholds;
  confirmations: Pick<ConfirmationVerifier, 'confirmationOf'>;
  confirmationRequiredAt: ConfirmationRequiredAt;
  /** The managed lists in force, as the pipeline scores with them. */
  lists: ListsSnapshot;
}

/**
 * Scores a transaction the wallet is about to make, with the same rules, profile and timeline
 * as the pipeline, and writes nothing: no profile change, no flag, no event. A
 * `confirmationToken` bound to it (checked with auth's keys) lowers the score (`owner_confirmed`)
 * and answers `confirmed: true`; otherwise `confirmationRequired` says whether to ask the owner.
 */
export async function scoreProposal(
  { db, rules, thresholds, confirmations, confirmationRequiredAt, lists }: ProposalScoring,
  proposal: WalletTransaction,
): Promise<ScoreResult> {
  const confirmation = await confirmations.confirmationOf(proposal);
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
  const destinations = await readNetwork(db, [tx], rules.rules.mule_destination);
  const { evaluated } = evaluateInOrder(
    [tx],
    { profiles: new Map([[tx.accountId, profile]]), counterparties, timelines, lists, destinations },
    rules.rules,
    thresholds,
    confirmation ? new Map([[tx.transactionId, confirmation]]) : undefined,
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
    confirmationRequired: needsConfirmation(outcome.decision, confirmation !== null, confirmationRequiredAt),
    confirmed: confirmation !== null,
  };
}
