import type { FlagReason, RiskDecision } from '@wallet-guard/contracts';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import type { RuleContext, RuleHit } from '../scoring/rule';
import { afterSecurityChange, triggerOf } from '../scoring/rules/after-security-change';
import { RULE_NAMES, type RuleName, type Rules } from '../scoring/rules-file';
import { type DecisionThresholds, decide, type ScoreOutcome } from '../scoring/score';
import type { TimelineEntry } from '../security-timeline/timeline-entry';

/**
 * The rules that read the security timeline, and nothing of the account's state but the
 * transaction itself (their type says so: `TimelineRule`): the only ones a late security event
 * can change, and the only ones that can be re-run on a transaction long after its profile moved on.
 */
const TIMELINE_RULES = ['after_security_change'] as const satisfies readonly RuleName[];
type TimelineRuleName = (typeof TIMELINE_RULES)[number];
type TimelineRule<P> = (ctx: Pick<RuleContext, 'tx' | 'timeline'>, params: P) => RuleHit | null;
const TIMELINE_RULE_OF: { [K in TimelineRuleName]: TimelineRule<Rules[K]> } = {
  after_security_change: afterSecurityChange,
};
const isTimelineRule = (rule: string): rule is TimelineRuleName => (TIMELINE_RULES as readonly string[]).includes(rule);
const isRuleName = (rule: string): rule is RuleName => (RULE_NAMES as readonly string[]).includes(rule);

/** Whether a security event can change any score under these rules (an ordinary sign-in cannot). */
export function canChangeScores(entry: TimelineEntry, rules: Rules): boolean {
  const trigger = triggerOf(entry);
  const asc = rules.after_security_change;
  return trigger !== null && asc.mode !== 'off' && asc.triggers[trigger] !== undefined;
}

/** What a transaction's flag says now (none: `NO_FLAG`, a transaction no rule touched). */
export type StoredScore = Omit<ScoreOutcome, 'securityEventIds'> & { securityEventIds: readonly string[] };

export const NO_FLAG: StoredScore = {
  score: 0,
  decision: 'allow',
  shadowScore: 0,
  shadowDecision: 'allow',
  reasons: [],
  securityEventIds: [],
};

/** Sums reasons as `scoreTransaction` does for plain rule hits: live and all, capped, with their theft points. */
function combine(reasons: readonly FlagReason[], rules: Rules, thresholds: DecisionThresholds) {
  let live = 0;
  let all = 0;
  let liveTheft = 0;
  let allTheft = 0;
  for (const reason of reasons) {
    const theft = isRuleName(reason.rule) && rules[reason.rule].theftSignal;
    all += reason.points;
    if (theft) allTheft += reason.points;
    if (!reason.shadow) {
      live += reason.points;
      if (theft) liveTheft += reason.points;
    }
  }
  const score = Math.min(100, live);
  const shadowScore = Math.min(100, all);
  return {
    score,
    decision: decide(score, thresholds, liveTheft),
    shadowScore,
    shadowDecision: decide(shadowScore, thresholds, allTheft),
  };
}

/**
 * `tx` scored again with `timeline` (now holding a security event that arrived late): the hits
 * of the timeline rules are recomputed, every other reason keeps the points it was given when the
 * transaction was scored (its profile has moved on since, and those rules do not read the
 * timeline), and the sum decides again. Pure.
 *
 * Null (leave the transaction alone) when its stored score is not a plain sum of rule hits that
 * this recomputes exactly: a reason other than a rule's (`owner_confirmed`: the owner confirmed
 * the payment) or points taken off (an allow-list entry), or a score that no longer adds up under
 * these rules (a theft signal since turned off, a rule since removed).
 */
export function rescoreWithTimeline(
  tx: MonitoredTransaction,
  timeline: readonly TimelineEntry[],
  stored: StoredScore,
  rules: Rules,
  thresholds: DecisionThresholds,
): ScoreOutcome | null {
  if (stored.reasons.some((r) => !isRuleName(r.rule))) return null;
  const before = combine(stored.reasons, rules, thresholds);
  if (
    before.score !== stored.score ||
    before.decision !== stored.decision ||
    before.shadowScore !== stored.shadowScore ||
    before.shadowDecision !== stored.shadowDecision
  ) {
    return null;
  }
  const fresh = new Map<string, FlagReason>();
  const securityEventIds = new Set(stored.securityEventIds);
  for (const name of TIMELINE_RULES) {
    const params = rules[name];
    if (params.mode === 'off') continue;
    const hit = TIMELINE_RULE_OF[name]({ tx, timeline }, params);
    if (!hit) continue;
    const points = Math.round(params.weight * Math.min(1, Math.max(0, hit.strength)));
    if (points === 0) continue;
    const shadow = params.mode === 'shadow';
    fresh.set(
      name,
      shadow ? { rule: name, points, detail: hit.detail, shadow } : { rule: name, points, detail: hit.detail },
    );
    if (!shadow) for (const id of hit.securityEventIds ?? []) securityEventIds.add(id);
  }
  const kept = new Map(stored.reasons.filter((r) => !isTimelineRule(r.rule)).map((r) => [r.rule, r]));
  // In rules-file order, as scoring writes them.
  const reasons = RULE_NAMES.flatMap((name) => {
    const reason = fresh.get(name) ?? kept.get(name);
    return reason ? [reason] : [];
  });
  return { ...combine(reasons, rules, thresholds), reasons, securityEventIds: [...securityEventIds] };
}

const RANK: Record<RiskDecision, number> = { allow: 0, review: 1, suspected_theft: 2 };

/**
 * Whether a rescored outcome is announced: the live decision rises, or, still `allow`, the
 * shadow decision does (announced as shadow, like any flag only shadow rules lift). A decision
 * that would fall or stay is left as it was: what was announced and acted on stands.
 */
export function rises(stored: StoredScore, next: StoredScore): boolean {
  if (RANK[next.decision] !== RANK[stored.decision]) return RANK[next.decision] > RANK[stored.decision];
  return next.decision === 'allow' && RANK[next.shadowDecision] > RANK[stored.shadowDecision];
}
