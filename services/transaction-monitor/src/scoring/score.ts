import type { FlagReason, RiskDecision } from '@wallet-guard/contracts';
import type { OwnerConfirmation } from '../confirmations/owner-confirmation';
import type { RuleContext } from './rule';
import { RULES } from './rules';
import { RULE_NAMES, type RuleName, type Rules } from './rules-file';

export interface DecisionThresholds {
  /** Scores at or above this need a look. */
  review: number;
  /** Scores at or above this look like theft. */
  theft: number;
}

/**
 * The decision for a score. `theftPoints` are the points of rules that signal theft: a score
 * that reaches the theft threshold only with the others' help stays at review.
 */
export function decide(score: number, thresholds: DecisionThresholds, theftPoints = score): RiskDecision {
  if (score >= thresholds.theft && theftPoints >= thresholds.theft) return 'suspected_theft';
  if (score >= thresholds.review) return 'review';
  return 'allow';
}

export interface ScoreOutcome {
  /** Live rules only, capped at 100. */
  score: number;
  decision: RiskDecision;
  /** Shadow-mode rules counted too: what the decision would be if they went live. */
  shadowScore: number;
  shadowDecision: RiskDecision;
  /** Every hit, shadow ones marked, in rules-file order. */
  reasons: FlagReason[];
  /** Security events behind live hits (the takeover evidence an agent needs). */
  securityEventIds: string[];
}

/** The rule whose points are taken off rather than added (`allowedOff`). */
const ALLOW_LISTED = 'allow_listed' satisfies RuleName;

/**
 * The points an allow-list entry takes off a score: its `points`, but never the firm points
 * (hits citing security events, block and review listings), so it only explains away the
 * behavioural rules (a new payee, a large amount, a new device); and when security events back a
 * suspected_theft decision, never so much that the decision falls below theft: an account being
 * taken over that pays an allow-listed payee, or from an allowed network, is still a takeover.
 */
function allowedOff(
  points: number,
  score: number,
  theftPoints: number,
  firmPoints: number,
  security: boolean,
  thresholds: DecisionThresholds,
): number {
  let taken = Math.min(points, Math.max(0, score - firmPoints));
  if (security && decide(score, thresholds, theftPoints) === 'suspected_theft') {
    taken = Math.min(taken, score - thresholds.theft, theftPoints - thresholds.theft);
  }
  return Math.max(0, taken);
}

/** The reason a confirmed transaction carries (`flagReason.rule`); its points were taken off, not added. */
export const OWNER_CONFIRMED = 'owner_confirmed';

/**
 * The share of the theft-signal points an owner's confirmation takes off: all of them for a
 * passkey (phishing-resistant: a thief holding the session cannot produce it), half for an
 * authenticator code (which a phishing page can relay in real time).
 */
const confirmedShare = (confirmation: OwnerConfirmation): number => (confirmation.phishingResistant ? 1 : 0.5);

/**
 * Runs every rule that is not off and turns the hits into a 0-100 score: each hit earns its
 * weight times its strength (rounded), the sum is capped at 100. A transaction the owner confirmed
 * (`confirmation`: a valid token bound to it) then loses `confirmedShare` of its theft-signal
 * points, recorded as reason `owner_confirmed` with the points taken off: the owner approving the
 * payment explains takeover signals, not the owner's own laundering (`theftSignal: false` rules
 * keep their points). It lowers, never raises: the score and the theft points only shrink, and
 * the decision is a monotone function of them. Last, an allow-listed payee, device, IP or country
 * (rule `allow_listed`, only when another rule hit) takes points off the same way, capped by
 * `allowedOff`: never firm points, never below theft when security events back a theft. Pure.
 */
export function scoreTransaction(
  ctx: RuleContext,
  rules: Rules,
  thresholds: DecisionThresholds,
  confirmation: OwnerConfirmation | null = null,
): ScoreOutcome {
  const reasons: FlagReason[] = [];
  const securityEventIds = new Set<string>();
  let live = 0;
  let all = 0;
  let liveTheft = 0;
  let allTheft = 0;
  // What an allow-list entry may not take off: points of firm hits, and whether security events back them.
  const firm = { live: 0, all: 0, liveSecurity: false, allSecurity: false };
  for (const name of RULE_NAMES) {
    const params = rules[name];
    if (params.mode === 'off' || name === ALLOW_LISTED) continue;
    const hit = (RULES[name] as (c: RuleContext, p: Rules[RuleName]) => ReturnType<(typeof RULES)[RuleName]>)(
      ctx,
      params,
    );
    if (!hit) continue;
    const points = Math.round(params.weight * Math.min(1, Math.max(0, hit.strength)));
    if (points === 0) continue;
    const shadow = params.mode === 'shadow';
    reasons.push(
      shadow ? { rule: name, points, detail: hit.detail, shadow } : { rule: name, points, detail: hit.detail },
    );
    all += points;
    if (params.theftSignal) allTheft += points;
    const security = (hit.securityEventIds?.length ?? 0) > 0;
    if (hit.firm || security) firm.all += points;
    if (security) firm.allSecurity = true;
    if (!shadow) {
      live += points;
      if (params.theftSignal) liveTheft += points;
      for (const id of hit.securityEventIds ?? []) securityEventIds.add(id);
      if (hit.firm || security) firm.live += points;
      if (security) firm.liveSecurity = true;
    }
  }
  let score = Math.min(100, live);
  let shadowScore = Math.min(100, all);
  if (confirmation) {
    const share = confirmedShare(confirmation);
    const taken = Math.min(score, Math.round(liveTheft * share));
    const shadowTaken = Math.min(shadowScore, Math.round(allTheft * share));
    reasons.push({
      rule: OWNER_CONFIRMED,
      points: taken,
      detail:
        `The account owner confirmed this payment with ${confirmation.phishingResistant ? 'a passkey' : 'an authenticator code'} ` +
        `(confirmation ${confirmation.confirmationId}): ${taken} points taken off`,
    });
    score -= taken;
    liveTheft = Math.max(0, liveTheft - taken);
    shadowScore -= shadowTaken;
    allTheft = Math.max(0, allTheft - shadowTaken);
  }
  const allowance = rules.allow_listed;
  const allowHit = allowance.mode === 'off' || reasons.length === 0 ? null : RULES.allow_listed(ctx, allowance);
  if (allowHit) {
    const points = Math.round(allowance.weight * Math.min(1, Math.max(0, allowHit.strength)));
    const shadow = allowance.mode === 'shadow';
    const shadowTaken = allowedOff(points, shadowScore, allTheft, firm.all, firm.allSecurity, thresholds);
    const taken = shadow ? 0 : allowedOff(points, score, liveTheft, firm.live, firm.liveSecurity, thresholds);
    const detail = `${allowHit.detail}: ${shadow ? shadowTaken : taken} points taken off`;
    reasons.push(
      shadow
        ? { rule: ALLOW_LISTED, points: shadowTaken, detail, shadow }
        : { rule: ALLOW_LISTED, points: taken, detail },
    );
    score -= taken;
    liveTheft = Math.max(0, liveTheft - taken);
    shadowScore -= shadowTaken;
    allTheft = Math.max(0, allTheft - shadowTaken);
  }
  return {
    score,
    decision: decide(score, thresholds, liveTheft),
    shadowScore,
    shadowDecision: decide(shadowScore, thresholds, allTheft),
    reasons,
    securityEventIds: [...securityEventIds],
  };
}
