import {
  distanceKm,
  type GeoPoint,
  type SignInRiskDecision,
  type SignInRiskSignal,
  travelSpeedKmh,
} from '@wallet-guard/contracts';
import type { RiskPolicy } from './policy-file';

/** The sources a stuffing count is kept for: an IPv4/IPv6 address, an IPv6 prefix, a device id. */
export type StuffingSource = 'ip' | 'ipv6Prefix' | 'device';

/** What the risk check knows about one sign-in whose password was right: auth's own data only. */
export interface RiskFacts {
  /** The request names a device / IP this account never signed in from (false when it names none). */
  newDevice: boolean;
  newIp: boolean;
  /** The request's country, and the countries the account signed in from before (null: none recorded yet). */
  country: string | undefined;
  knownCountries: readonly string[] | null;
  /** Where this request comes from, and the last located successful sign-in. */
  location: GeoPoint | undefined;
  lastLocation: (GeoPoint & { at: Date }) | null;
  /** Distinct accounts tried from each of the request's sources within the policy's window, this one included. */
  stuffing: Partial<Record<StuffingSource, number>>;
  passwordBlocklisted: boolean;
  /** The latest theft suspicion still open, and the latest freeze within the policy's horizon. */
  theftSuspectedAt: Date | null;
  frozenAt: Date | null;
}

export interface FiredSignal {
  signal: SignInRiskSignal;
  points: number;
  /** A sentence for agents: no secrets, no other account's data. */
  detail: string;
}

export interface RiskAssessment {
  decision: SignInRiskDecision;
  score: number;
  signals: FiredSignal[];
  policyVersion: string;
  /** The session (or the second step) must be restricted to a password change. */
  passwordBlocklisted: boolean;
}

const km = (value: number) => `${Math.round(value).toLocaleString('en')} km`;

function gapWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${Math.round(hours * 10) / 10} h` : `${Math.round(hours / 24)} days`;
}

const SOURCE_WORDS: Record<StuffingSource, string> = {
  ip: 'this IP address',
  ipv6Prefix: 'this IPv6 network',
  device: 'this device',
};

/**
 * Turns the facts into the policy's decision: each signal that fires adds its weight, and the sum
 * is compared with `stepUpAt` and `denyAt`. Pure: no clock (`now` is given), no I/O, never throws.
 */
export function evaluateRisk(facts: RiskFacts, policy: RiskPolicy, now: Date): RiskAssessment {
  const { signals: p } = policy;
  const fired: FiredSignal[] = [];
  const fire = (signal: SignInRiskSignal, points: number, detail: string) => fired.push({ signal, points, detail });

  if (facts.newDevice) fire('new_device', p.new_device.weight, 'first sign-in from this device');
  if (facts.newIp) fire('new_ip', p.new_ip.weight, 'first sign-in from this IP address');
  if (facts.country && facts.knownCountries && facts.knownCountries.length > 0) {
    if (!facts.knownCountries.includes(facts.country)) {
      fire(
        'new_country',
        p.new_country.weight,
        `first sign-in from ${facts.country} (before: ${facts.knownCountries.slice(0, 5).join(', ')})`,
      );
    }
  }

  const last = facts.lastLocation;
  if (facts.location && last) {
    const distance = distanceKm(last, facts.location);
    const gap = now.getTime() - last.at.getTime();
    const speed = travelSpeedKmh(distance, gap);
    const rule = p.impossible_travel;
    if (distance >= rule.minDistanceKm && speed > rule.maxSpeedKmh) {
      const pace = Number.isFinite(speed) ? `${km(speed)}/h` : 'at the same instant';
      fire('impossible_travel', rule.weight, `${km(distance)} from the last sign-in ${gapWords(gap)} before (${pace})`);
    }
  }

  const stuffing = p.credential_stuffing;
  let worst: { source: StuffingSource; count: number; ratio: number } | undefined;
  for (const source of ['ip', 'ipv6Prefix', 'device'] as const) {
    const count = facts.stuffing[source];
    if (count === undefined) continue;
    const ratio = count / stuffing.minAccounts[source];
    if (ratio >= 1 && (!worst || ratio > worst.ratio)) worst = { source, count, ratio };
  }
  if (worst) {
    const severe = worst.ratio >= stuffing.severeFactor;
    fire(
      'credential_stuffing',
      severe ? stuffing.severeWeight : stuffing.weight,
      `${worst.count} accounts tried from ${SOURCE_WORDS[worst.source]} in ${gapWords(stuffing.windowSeconds * 1000)}`,
    );
  }

  if (facts.passwordBlocklisted) {
    fire('password_blocklisted', p.password_blocklisted.weight, 'the password is on the common-password blocklist');
  }
  if (facts.theftSuspectedAt) {
    fire(
      'theft_suspected',
      p.theft_suspected.weight,
      `the monitor suspected theft ${gapWords(now.getTime() - facts.theftSuspectedAt.getTime())} ago`,
    );
  }
  if (facts.frozenAt) {
    fire(
      'freeze_history',
      p.freeze_history.weight,
      `the account was frozen ${gapWords(now.getTime() - facts.frozenAt.getTime())} ago`,
    );
  }

  const score = fired.reduce((sum, s) => sum + s.points, 0);
  const { stepUpAt, denyAt } = policy.decision;
  return {
    decision: score >= denyAt ? 'deny' : score >= stepUpAt ? 'step_up' : 'allow',
    score,
    signals: fired,
    policyVersion: policy.version,
    passwordBlocklisted: facts.passwordBlocklisted,
  };
}
