import { describe, expect, it } from 'vitest';
import { at, HOUR, MINUTE, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { distanceKm, impossibleTravel } from './impossible-travel';

const params = shippedRules().impossible_travel;
const berlin = { lat: 52.52, lon: 13.405 };
const madrid = { lat: 40.4168, lon: -3.7038 };
const potsdam = { lat: 52.3906, lon: 13.0645 };
const wasIn = (place: { lat: number; lon: number }, atMs: number) =>
  profileAfter([{ type: 'deposit', context: place, occurredAt: at(atMs) }]);
const nowIn = (place: { lat: number; lon: number }, type: 'payment' | 'deposit' = 'payment') =>
  monitored({ type, context: place });

describe('impossible_travel', () => {
  it('measures great-circle distances', () => {
    expect(distanceKm(berlin, madrid)).toBeGreaterThan(1850);
    expect(distanceKm(berlin, madrid)).toBeLessThan(1880);
  });

  it('fires when consecutive locations are too far apart for the time between them', () => {
    const hit = impossibleTravel(ruleContext(nowIn(madrid), wasIn(berlin, T0 - 30 * MINUTE)), params);
    expect(hit?.detail).toMatch(/^1,86\d km from the previous transaction 30 minutes apart \(3,7\d\d km\/h\)$/);
    expect(hit?.strength).toBe(1);
  });

  it('stays quiet when the trip was possible, the distance is small, or a location is missing', () => {
    expect(impossibleTravel(ruleContext(nowIn(madrid), wasIn(berlin, T0 - 3 * HOUR)), params)).toBeNull();
    expect(impossibleTravel(ruleContext(nowIn(potsdam), wasIn(berlin, T0 - MINUTE)), params)).toBeNull();
    expect(impossibleTravel(ruleContext(monitored(), wasIn(berlin, T0 - MINUTE)), params)).toBeNull();
    expect(impossibleTravel(ruleContext(nowIn(madrid)), params)).toBeNull();
  });

  it('treats the same instant in two places as infinitely fast, and applies to any transaction type', () => {
    const hit = impossibleTravel(ruleContext(nowIn(madrid, 'deposit'), wasIn(berlin, T0)), params);
    expect(hit?.detail).toContain('(at the same instant)');
  });

  it('uses the speed limit of the rules file', () => {
    expect(
      impossibleTravel(ruleContext(nowIn(madrid), wasIn(berlin, T0 - 3 * HOUR)), { ...params, maxSpeedKmh: 500 }),
    ).not.toBeNull();
  });
});
