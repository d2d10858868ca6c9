import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, monitored, ruleContext, securityEntry, shippedRules, T0 } from '../../testing/fixtures';
import { afterSecurityChange, triggerOf } from './after-security-change';

const params = shippedRules().after_security_change;
const score = (timeline: ReturnType<typeof securityEntry>[], type: 'withdrawal' | 'deposit' = 'withdrawal') =>
  afterSecurityChange(ruleContext(monitored({ type, amountMinor: '10000' }), undefined, timeline), params);

describe('after_security_change', () => {
  it.each([
    ['password.reset', {}],
    ['password.changed', {}],
    ['totp.disabled', {}],
    ['account.unlocked', {}],
    ['sign_in.succeeded', { newDevice: true, newIp: true }],
    ['sign_in.succeeded', { newDevice: false, newIp: true }],
  ])('fires on outgoing money after %s %o', (type, fields) => {
    const event = securityEntry(type, T0 - 10 * MINUTE, fields);
    const hit = score([event]);
    expect(hit?.securityEventIds).toEqual([event.eventId]);
    expect(hit?.detail).toMatch(/^Outgoing 10 minutes after /);
  });

  it('is stronger the shorter the gap, down to its floor at the end of the window', () => {
    const strength = (gapMs: number) => score([securityEntry('password.reset', T0 - gapMs)])?.strength ?? 0;
    expect(strength(MINUTE)).toBeGreaterThan(strength(HOUR));
    expect(strength(HOUR)).toBeGreaterThan(strength(6 * HOUR));
    expect(strength(4 * HOUR)).toBeCloseTo(0.5 * params.singleTriggerFactor);
    expect(strength(23 * HOUR)).toBeCloseTo(params.minStrength * params.singleTriggerFactor);
    expect(score([securityEntry('password.reset', T0 - 25 * HOUR)])).toBeNull();
  });

  it('earns full strength when two kinds of change precede the money (a takeover sequence)', () => {
    const signIn = securityEntry('sign_in.succeeded', T0 - 20 * MINUTE, { newDevice: true });
    const twoFactorOff = securityEntry('totp.disabled', T0 - 5 * MINUTE);
    const hit = score([signIn, twoFactorOff]);
    expect(hit?.strength).toBeGreaterThan(0.98);
    expect(hit?.detail).toBe('Outgoing 5 minutes after two-factor was disabled; also: a sign-in from a new device');
    expect(hit?.securityEventIds).toEqual([signIn.eventId, twoFactorOff.eventId]);
  });

  it('ignores ordinary sign-ins, events after the transaction, incoming money and disabled triggers', () => {
    expect(score([securityEntry('sign_in.succeeded', T0 - MINUTE, { newDevice: false, newIp: false })])).toBeNull();
    expect(score([securityEntry('sign_in.failed', T0 - MINUTE)])).toBeNull();
    expect(score([securityEntry('totp.disabled', T0 + MINUTE)])).toBeNull();
    expect(score([securityEntry('totp.disabled', T0 - MINUTE)], 'deposit')).toBeNull();
    const onlyResets = { ...params, triggers: { password_reset: 1 } };
    const tx = monitored({ type: 'withdrawal' });
    expect(
      afterSecurityChange(ruleContext(tx, undefined, [securityEntry('totp.disabled', T0 - MINUTE)]), onlyResets),
    ).toBeNull();
  });

  it('weighs each trigger by its strength in the rules file: a new IP alone is a weak sign', () => {
    const newIp = score([securityEntry('sign_in.succeeded', T0 - MINUTE, { newIp: true, newDevice: false })]);
    const newDevice = score([securityEntry('sign_in.succeeded', T0 - MINUTE, { newIp: true, newDevice: true })]);
    expect(newIp?.strength).toBeCloseTo((newDevice?.strength ?? 0) * (params.triggers.new_ip_sign_in ?? 0));
    const recovery = securityEntry('recovery_code.used', T0 - MINUTE);
    expect(score([recovery])).toBeNull();
    const withRecovery = { ...params, triggers: { ...params.triggers, recovery_code_used: 1 } };
    expect(
      afterSecurityChange(ruleContext(monitored({ type: 'withdrawal' }), undefined, [recovery]), withRecovery),
    ).not.toBeNull();
  });

  it('maps a sign-in that is new in device and IP to one trigger, the device', () => {
    expect(triggerOf(securityEntry('sign_in.succeeded', T0, { newDevice: true, newIp: true }))).toBe(
      'new_device_sign_in',
    );
  });
});
