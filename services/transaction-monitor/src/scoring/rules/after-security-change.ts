import type { TimelineEntry } from '../../security-timeline/timeline-entry';
import type { RuleContext, RuleHit } from '../rule';
import type { Rules, SecurityTrigger } from '../rules-file';
import { formatGap } from '../wording';

const WORDING: Record<SecurityTrigger, string> = {
  password_reset: 'the password was reset',
  password_changed: 'the password was changed',
  two_factor_disabled: 'two-factor was disabled',
  unlocked: 'the account was unlocked',
  new_device_sign_in: 'a sign-in from a new device',
  new_ip_sign_in: 'a sign-in from a new IP address',
  recovery_code_used: 'a recovery code was used',
};

/** The trigger a security event stands for, if any (one per event: a new device outranks a new IP). */
export function triggerOf(entry: TimelineEntry): SecurityTrigger | null {
  switch (entry.type) {
    case 'password.reset':
      return 'password_reset';
    case 'password.changed':
      return 'password_changed';
    case 'totp.disabled':
      return 'two_factor_disabled';
    case 'account.unlocked':
      return 'unlocked';
    case 'recovery_code.used':
      return 'recovery_code_used';
    case 'sign_in.succeeded':
      return entry.newDevice ? 'new_device_sign_in' : entry.newIp ? 'new_ip_sign_in' : null;
    default:
      return null;
  }
}

/**
 * 4. after_security_change: outgoing money within `windowHours` after a credential or access
 * change. Each change counts with its trigger's strength, halving every `halfLifeMinutes` after
 * it (never below `minStrength`): the strongest counts. One kind of change alone earns
 * `singleTriggerFactor` of that; two or more kinds (a new-device sign-in, then 2FA disabled)
 * earn it all: that sequence is what a takeover looks like. It reads only the transaction and the
 * timeline (its type says so): `src/rescoring/` re-runs it when a security event arrives late.
 */
export const afterSecurityChange = (
  { tx, timeline }: Pick<RuleContext, 'tx' | 'timeline'>,
  p: Rules['after_security_change'],
): RuleHit | null => {
  if (!tx.outgoing) return null;
  const from = tx.at - p.windowHours * 3_600_000;
  const halfLifeMs = p.halfLifeMinutes * 60_000;
  const hits = timeline.flatMap((entry) => {
    const trigger = triggerOf(entry);
    const factor = trigger === null ? undefined : p.triggers[trigger];
    if (trigger === null || factor === undefined || entry.at < from || entry.at > tx.at) return [];
    const strength = factor * Math.max(p.minStrength, 0.5 ** ((tx.at - entry.at) / halfLifeMs));
    return [{ entry, trigger, strength }];
  });
  if (hits.length === 0) return null;
  const strongest = hits.reduce((a, b) => (b.strength > a.strength ? b : a));
  const kinds = new Set(hits.map((h) => h.trigger));
  const others = [...kinds].filter((k) => k !== strongest.trigger).map((k) => WORDING[k]);
  return {
    strength: strongest.strength * (kinds.size >= 2 ? 1 : p.singleTriggerFactor),
    detail: `Outgoing ${formatGap(tx.at - strongest.entry.at)} after ${WORDING[strongest.trigger]}${others.length > 0 ? `; also: ${others.join(', ')}` : ''}`,
    securityEventIds: hits.map((h) => h.entry.eventId),
  };
};
