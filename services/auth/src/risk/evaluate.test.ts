import { describe, expect, it } from 'vitest';
import { evaluateRisk, type RiskFacts } from './evaluate';
import { readRiskPolicyFile } from './policy-file';
import { DEFAULT_RISK_POLICY_FILE } from './policy-store';

const { policy } = readRiskPolicyFile(DEFAULT_RISK_POLICY_FILE);
const now = new Date('2026-11-30T12:00:00Z');
const none: RiskFacts = {
  newDevice: false,
  newIp: false,
  country: undefined,
  knownCountries: null,
  location: undefined,
  lastLocation: null,
  stuffing: {},
  passwordBlocklisted: false,
  theftSuspectedAt: null,
  frozenAt: null,
};
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('evaluateRisk with the shipped policy', () => {
  it('allows below stepUpAt, steps up from it, denies from denyAt', () => {
    expect(evaluateRisk(none, policy, now)).toMatchObject({ decision: 'allow', score: 0, signals: [] });
    expect(evaluateRisk({ ...none, theftSuspectedAt: hoursAgo(1) }, policy, now)).toMatchObject({
      decision: 'step_up',
      score: 50,
    });
    const both = { ...none, theftSuspectedAt: hoursAgo(1), stuffing: { ip: 12 } };
    expect(evaluateRisk(both, policy, now)).toMatchObject({ decision: 'deny', score: 100 });
  });

  it('measures impossible travel like the monitor: under 50 km is noise, at airliner speed it is travel', () => {
    const paris = { lat: 48.8566, lon: 2.3522 };
    const facts = (location: { lat: number; lon: number }, hours: number) => ({
      ...none,
      location,
      lastLocation: { ...paris, at: hoursAgo(hours) },
    });
    // Paris -> Versailles (17 km) at once: noise.
    expect(evaluateRisk(facts({ lat: 48.8049, lon: 2.1204 }, 0), policy, now).signals).toEqual([]);
    // Paris -> London (344 km) in an hour: 344 km/h, a train.
    expect(evaluateRisk(facts({ lat: 51.5072, lon: -0.1276 }, 1), policy, now).signals).toEqual([]);
    // Paris -> New York (5,837 km) in two hours.
    const fired = evaluateRisk(facts({ lat: 40.7128, lon: -74.006 }, 2), policy, now).signals;
    expect(fired).toEqual([
      { signal: 'impossible_travel', points: 40, detail: '5,837 km from the last sign-in 2 h before (2,919 km/h)' },
    ]);
  });

  it('fires stuffing on the source most over its threshold; severe from severeFactor times it', () => {
    expect(evaluateRisk({ ...none, stuffing: { ip: 9, device: 4 } }, policy, now).signals).toEqual([]);
    expect(evaluateRisk({ ...none, stuffing: { ip: 10, device: 6 } }, policy, now).signals).toEqual([
      { signal: 'credential_stuffing', points: 50, detail: '6 accounts tried from this device in 15 min' },
    ]);
    expect(evaluateRisk({ ...none, stuffing: { ip: 30 } }, policy, now)).toMatchObject({
      decision: 'deny',
      signals: [{ signal: 'credential_stuffing', points: 100 }],
    });
  });

  it('a new country needs a known one to differ from; a blocklisted password restricts whatever the decision', () => {
    expect(evaluateRisk({ ...none, country: 'DE', knownCountries: [] }, policy, now).signals).toEqual([]);
    expect(evaluateRisk({ ...none, country: 'DE', knownCountries: ['DE'] }, policy, now).signals).toEqual([]);
    expect(evaluateRisk({ ...none, country: 'DE', knownCountries: ['FR'] }, policy, now).signals).toMatchObject([
      { signal: 'new_country', points: 25 },
    ]);
    expect(evaluateRisk({ ...none, passwordBlocklisted: true }, policy, now)).toMatchObject({
      decision: 'allow',
      passwordBlocklisted: true,
      signals: [{ signal: 'password_blocklisted', points: 0 }],
    });
  });
});
