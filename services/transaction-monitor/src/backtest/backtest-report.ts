import {
  BACKTEST_CHANGES_LISTED,
  type BacktestChange,
  type BacktestReport,
  type BacktestRuleReport,
  type FeedbackLabel,
  type FlagReason,
  type RiskDecision,
} from '@wallet-guard/contracts';
import { RULE_NAMES, type Rules } from '../scoring/rules-file';
import type { BacktestHistory } from './backtest-history';
import { liveOutcomeOf, type Replayed } from './replay';

const raised = (decision: RiskDecision) => decision !== 'allow';
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

/** Points a rule earned in `reasons` (0 when it did not hit). */
const pointsOf = (reasons: readonly FlagReason[], rule: string) => reasons.find((r) => r.rule === rule)?.points ?? 0;
const hit = (reasons: readonly FlagReason[], rule: string) => reasons.some((r) => r.rule === rule);

interface Tally {
  confirmedFraud: number;
  falsePositive: number;
  /** Confirmed fraud among the counted transactions. */
  caught: number;
}

/** Precision and recall of a set of "raised" transactions against the labels. */
function figures(t: Tally, allConfirmed: number) {
  return {
    confirmedFraud: t.confirmedFraud,
    falsePositive: t.falsePositive,
    precision: ratio(t.confirmedFraud, t.confirmedFraud + t.falsePositive),
    recall: ratio(t.caught, allConfirmed),
  };
}

function count(t: Tally, label: FeedbackLabel | null) {
  if (label === 'confirmed_fraud') {
    t.confirmedFraud += 1;
    t.caught += 1;
  } else if (label === 'false_positive') t.falsePositive += 1;
}

const newTally = (): Tally => ({ confirmedFraud: 0, falsePositive: 0, caught: 0 });

/**
 * Compares the candidate's decisions over the period with live's and with agents' labels (see
 * `backtestReport` for each figure). Pure.
 */
export function backtestReport(
  replayed: readonly Replayed[],
  history: BacktestHistory,
  candidate: { version: string; rules: Rules },
  period: { from: Date; to: Date },
): BacktestReport {
  const decisions = { allow: 0, review: 0, suspected_theft: 0 };
  const liveDecisions = { allow: 0, review: 0, suspected_theft: 0 };
  const liveVersions = new Set<string>();
  const overall = newTally();
  const overallLive = newTally();
  const perRule = new Map(RULE_NAMES.map((rule) => [rule, { hits: 0, liveHits: 0, changed: 0, tally: newTally() }]));
  const changes: BacktestChange[] = [];
  let changed = 0;
  let scoresChanged = 0;
  let allConfirmed = 0;

  for (const { tx, outcome } of replayed) {
    const live = liveOutcomeOf(history, tx.transactionId);
    if (live.rulesVersion !== null) liveVersions.add(live.rulesVersion);
    decisions[outcome.decision] += 1;
    liveDecisions[live.decision] += 1;
    if (live.label === 'confirmed_fraud') allConfirmed += 1;
    if (raised(outcome.decision)) count(overall, live.label);
    if (raised(live.decision)) count(overallLive, live.label);
    const decisionChanged = outcome.decision !== live.decision;
    if (outcome.score !== live.score) scoresChanged += 1;
    for (const [rule, r] of perRule) {
      if (hit(outcome.reasons, rule)) {
        r.hits += 1;
        count(r.tally, live.label);
      }
      if (hit(live.reasons, rule)) r.liveHits += 1;
      if (decisionChanged && pointsOf(outcome.reasons, rule) !== pointsOf(live.reasons, rule)) r.changed += 1;
    }
    if (!decisionChanged) continue;
    changed += 1;
    if (changes.length < BACKTEST_CHANGES_LISTED) {
      changes.push({
        transactionId: tx.transactionId,
        accountId: tx.accountId,
        occurredAt: new Date(tx.at).toISOString(),
        liveDecision: live.decision,
        liveScore: live.score,
        decision: outcome.decision,
        score: outcome.score,
        label: live.label,
      });
    }
  }
  changes.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.transactionId.localeCompare(b.transactionId));

  const rules: BacktestRuleReport[] = [...perRule].map(([rule, r]) => ({
    rule,
    mode: candidate.rules[rule].mode,
    hits: r.hits,
    liveHits: r.liveHits,
    changed: r.changed,
    ...figures(r.tally, allConfirmed),
  }));
  const liveFigures = figures(overallLive, allConfirmed);
  return {
    rulesVersion: candidate.version,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    liveRulesVersions: [...liveVersions].sort(),
    transactions: replayed.length,
    warmUpTransactions: history.transactions.length - replayed.length,
    accounts: history.accounts,
    accountsWithPartialHistory: history.accountsWithPartialHistory,
    overall: {
      decisions,
      liveDecisions,
      changed,
      scoresChanged,
      ...figures(overall, allConfirmed),
      livePrecision: liveFigures.precision,
      liveRecall: liveFigures.recall,
    },
    rules,
    changes,
    changesTruncated: changed > changes.length,
  };
}
