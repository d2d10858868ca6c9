import { randomUUID } from 'node:crypto';
import { createEvent, type SecurityEventOf, securityEvent, TOPICS } from '@wallet-guard/contracts';
import { type ReceivedMessage, TestKafka, waitFor } from '@wallet-guard/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailKey, normaliseEmail } from '../accounts/email';
import { PasswordHasher } from '../passwords/password-hasher';
import { type AuthHarness, startAuth, uniqueEmail } from '../testing/harness';
import { enrolledUser, nextCode, secondStep } from '../testing/two-factor';

const POLICY_VERSION = '2026-11-30.1';
const BERLIN = { country: 'DE', lat: 52.52, lon: 13.405 };
const TOKYO = { country: 'JP', lat: 35.68, lon: 139.76 };

let kafka: TestKafka;
let auth: AuthHarness;
let security: ReceivedMessage[];

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.securityEvents, TOPICS.notifications, TOPICS.theftSuspected]);
  auth = await startAuth({ kafka });
  security = await kafka.collect(TOPICS.securityEvents);
});
afterAll(async () => {
  await auth.close();
  await kafka.cleanup();
});

type Context = Record<string, string | number>;
const signIn = (email: string, password: string, context: Context = {}) =>
  auth.wallet({ method: 'POST', url: '/v1/sessions', payload: { email, password, context } });

type Assessed = SecurityEventOf<'sign_in.risk_assessed'>;
const assessments = async (accountId: string) =>
  (await auth.securityEvents(accountId, 'sign_in.risk_assessed')) as unknown as Assessed[];
const latest = async (accountId: string) => (await assessments(accountId)).at(-1)?.payload;
const signalsOf = (payload: Assessed['payload'] | undefined) => payload?.signals.map((s) => s.signal);

/** A session (200 with tokens), or the second step the risk check asked for (200 with mfaRequired). */
const isSession = (res: LightMyRequestResponse) => res.statusCode === 200 && 'accessToken' in res.json();
const isStepUp = (res: LightMyRequestResponse) => res.statusCode === 200 && res.json().mfaRequired === true;

describe('risk-based sign-in: decisions and signals', () => {
  it('allows a sign-in from the registration device and records allow, no signals and the policy version', async () => {
    const { accountId, email, password } = await auth.register({
      context: { deviceId: 'phone-1', ip: '198.51.100.7' },
    });
    const res = await signIn(email, password, { deviceId: 'phone-1', ip: '198.51.100.7' });
    expect(isSession(res)).toBe(true);
    expect(await latest(accountId)).toMatchObject({
      decision: 'allow',
      score: 0,
      signals: [],
      policyVersion: POLICY_VERSION,
    });
    // Recorded before the sign-in's own event, in its transaction.
    const types = (await auth.securityEvents(accountId)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['sign_in.risk_assessed', 'sign_in.succeeded']);
  });

  it('new device and new IP alone are signals that still allow (the owner gets the "was this you?" e-mail)', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone-2' } });
    expect(isSession(await signIn(email, password, { deviceId: 'laptop-2', ip: '203.0.113.20' }))).toBe(true);
    const payload = await latest(accountId);
    expect(payload).toMatchObject({ decision: 'allow', score: 15 });
    expect(signalsOf(payload)).toEqual(['new_device', 'new_ip']);
    expect(await auth.notifications(accountId, 'notification.new_sign_in')).toHaveLength(1);
  });

  it('a new country alone is a signal that allows; a country seen before is none', async () => {
    const { accountId, email, password } = await auth.register();
    expect(isSession(await signIn(email, password, { country: 'FR' }))).toBe(true);
    expect(signalsOf(await latest(accountId))).toEqual([]);
    expect(isSession(await signIn(email, password, { country: 'BE' }))).toBe(true);
    const payload = await latest(accountId);
    expect(signalsOf(payload)).toEqual(['new_country']);
    expect(payload?.signals[0]?.detail).toBe('first sign-in from BE (before: FR)');
    expect(isSession(await signIn(email, password, { country: 'FR' }))).toBe(true);
    expect(signalsOf(await latest(accountId))).toEqual([]);
  });

  it('impossible travel alone is a signal that allows; slow enough travel is none', async () => {
    const { accountId, email, password } = await auth.register();
    expect(isSession(await signIn(email, password, { country: 'US', lat: 40.71, lon: -74.01 }))).toBe(true);
    auth.clock.advance(30 * 60);
    // New York to Los Angeles in half an hour: about 3,940 km at 7,900 km/h.
    expect(isSession(await signIn(email, password, { country: 'US', lat: 34.05, lon: -118.24 }))).toBe(true);
    const payload = await latest(accountId);
    expect(signalsOf(payload)).toEqual(['impossible_travel']);
    expect(payload?.signals[0]?.detail).toMatch(/^3,9\d\d km from the last sign-in 30 min before \(7,\d{3} km\/h\)$/);
    auth.clock.advance(12 * 3600);
    expect(isSession(await signIn(email, password, { country: 'US', lat: 40.71, lon: -74.01 }))).toBe(true);
    expect(signalsOf(await latest(accountId))).toEqual([]);
  });

  it('a new country with impossible travel steps up: an account without a factor gets a code by e-mail', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone-3' } });
    expect(isSession(await signIn(email, password, { deviceId: 'phone-3', ...BERLIN }))).toBe(true);
    auth.clock.advance(3600);
    const res = await signIn(email, password, { deviceId: 'phone-3', ...TOKYO });
    expect(isStepUp(res)).toBe(true);
    expect(res.json().methods).toEqual(['email_code']);
    const payload = await latest(accountId);
    expect(payload).toMatchObject({ decision: 'step_up', score: 65, policyVersion: POLICY_VERSION });
    expect(signalsOf(payload)).toEqual(['new_country', 'impossible_travel']);
    expect(await auth.notifications(accountId, 'notification.sign_in_code')).toHaveLength(1);
    // No session was started: the last sign-in (and its place) is still Berlin's.
    expect(await auth.securityEvents(accountId, 'sign_in.succeeded')).toHaveLength(1);
  });

  it('an open theft suspicion from risk.theft-suspected.v1 steps up the next sign-in (stored once per eventId)', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone-4' } });
    const suspicion = createEvent(TOPICS.theftSuspected, {
      type: 'theft.suspected',
      version: 1,
      producer: 'transaction-monitor',
      accountId,
      payload: {
        flagIds: [randomUUID()],
        transactionIds: ['tx-1'],
        securityEventIds: [],
        score: 85,
        reasons: [{ rule: 'balance_drain', points: 60, detail: 'drained' }],
        rulesVersion: 'rules-1',
      },
    });
    const message = {
      key: accountId,
      value: JSON.stringify({ ...suspicion, occurredAt: auth.clock.now().toISOString() }),
    };
    await kafka.produce(TOPICS.theftSuspected, [message, message]);
    const stored = () =>
      auth.db.db.selectFrom('auth_risk_theft_suspicions').selectAll().where('account_id', '=', accountId).execute();
    await waitFor(async () => (await stored()).length > 0, { what: 'the theft suspicion consumed' });

    const res = await signIn(email, password, { deviceId: 'phone-4' });
    expect(isStepUp(res)).toBe(true);
    const payload = await latest(accountId);
    expect(payload).toMatchObject({ decision: 'step_up', score: 50 });
    expect(signalsOf(payload)).toEqual(['theft_suspected']);
    expect(await stored()).toMatchObject([{ event_id: suspicion.eventId, score: 85, rules_version: 'rules-1' }]);

    // Closed after the policy's 72 hours: the owner signs in as before.
    auth.clock.advance(73 * 3600);
    expect(isSession(await signIn(email, password, { deviceId: 'phone-4' }))).toBe(true);
    expect(signalsOf(await latest(accountId))).toEqual([]);
  });

  it('a step-up of an account with a second factor asks for its own factors, not an e-mailed code', async () => {
    const user = await enrolledUser(auth);
    const home = await signIn(user.email, user.password, BERLIN);
    expect(home.json()).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery'] });
    expect(await latest(user.accountId)).toMatchObject({ decision: 'allow' });
    const atHome = await secondStep(auth, { mfaToken: home.json().mfaToken, code: nextCode(auth, user.secret) });
    expect(isSession(atHome)).toBe(true);
    auth.clock.advance(3600);
    const res = await signIn(user.email, user.password, TOKYO);
    expect(isStepUp(res)).toBe(true);
    expect(res.json().methods).toEqual(['totp', 'recovery']);
    expect(await latest(user.accountId)).toMatchObject({ decision: 'step_up', score: 65 });
    expect(await auth.notifications(user.accountId, 'notification.sign_in_code')).toEqual([]);
    // The code completes it like any second step, and the new country and place are remembered.
    auth.clock.advance(30);
    const done = await secondStep(auth, { mfaToken: res.json().mfaToken, code: nextCode(auth, user.secret) });
    expect(isSession(done)).toBe(true);
    auth.clock.advance(60);
    expect(isStepUp(await signIn(user.email, user.password, TOKYO))).toBe(true); // the factor, as always
    expect(await latest(user.accountId)).toMatchObject({ decision: 'allow', signals: [] });
  });

  it('freeze history is a signal: an account frozen and unfrozen within 90 days', async () => {
    const { accountId, email, password } = await auth.register();
    const body = { actor: 'agent:ada' };
    const url = (action: string) => `/internal/v1/accounts/${accountId}/${action}`;
    expect((await auth.internal({ method: 'POST', url: url('freeze'), payload: body })).statusCode).toBe(204);
    expect((await auth.internal({ method: 'POST', url: url('unfreeze'), payload: body })).statusCode).toBe(204);
    expect(isSession(await signIn(email, password))).toBe(true);
    const payload = await latest(accountId);
    expect(payload).toMatchObject({ decision: 'allow', score: 20 });
    expect(signalsOf(payload)).toEqual(['freeze_history']);
  });

  it('a password on the blocklist is a signal and restricts the session to a password change', async () => {
    const { accountId, email } = await auth.register();
    // Set before the list had it: registration would refuse it now.
    const hasher = await PasswordHasher.create(auth.config.passwords.argon2, auth.config.passwords.peppers);
    const stored = await hasher.hash('1qaz2wsx3edc');
    await auth.db.db
      .updateTable('auth_accounts')
      .set({ password_hash: stored.hash, pepper_id: stored.pepperId })
      .where('id', '=', accountId)
      .execute();
    const res = await signIn(email, '1QAZ2WSX3EDC');
    expect(res.statusCode).toBe(401); // the list is case-insensitive, the password is not
    const right = await signIn(email, '1qaz2wsx3edc');
    expect(isSession(right)).toBe(true);
    expect(right.json().restriction).toBe('password_change');
    expect(signalsOf(await latest(accountId))).toEqual(['password_blocklisted']);
  });

  it('publishes sign_in.risk_assessed on Kafka with decision, signals and policy version', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone-5' } });
    expect(isSession(await signIn(email, password, { deviceId: 'tablet-5' }))).toBe(true);
    const assessed = () =>
      security.find((m) => m.key === accountId && (m.json() as { type: string }).type === 'sign_in.risk_assessed');
    await waitFor(() => assessed() !== undefined, { what: 'the event on Kafka' });
    const event = securityEvent.parse(assessed()?.json());
    expect(event).toMatchObject({
      type: 'sign_in.risk_assessed',
      accountId,
      producer: 'auth',
      payload: {
        decision: 'allow',
        score: 10,
        signals: [{ signal: 'new_device', points: 10, detail: 'first sign-in from this device' }],
        policyVersion: POLICY_VERSION,
        context: { deviceId: 'tablet-5' },
      },
    });
  });

  it('counts decisions and signals in /metrics, with no account in any label', async () => {
    const res = await auth.server.inject({ method: 'GET', url: '/metrics' });
    const text = res.body;
    expect(text).toMatch(/auth_sign_in_risk_decisions_total\{decision="step_up"[^}]*\} [1-9]/);
    expect(text).toMatch(/auth_sign_in_risk_signals_total\{signal="impossible_travel"[^}]*\} [1-9]/);
    expect(text).not.toMatch(/auth_sign_in_risk_\w+\{[^}]*account/);
  });
});

describe('risk-based sign-in: credential stuffing', () => {
  it('50 accounts tried from one IP: the right passwords among them step up or are denied; others elsewhere sign in', async () => {
    const attacker = { ip: '192.0.2.66' };
    const victims = await Promise.all(Array.from({ length: 8 }, () => auth.register()));
    const bystander = await auth.register({ context: { deviceId: 'home-laptop', ip: '198.51.100.99' } });
    // The list: unknown emails and wrong passwords, with the victims' right passwords from the 12th on.
    const list = Array.from({ length: 50 }, (_, i) => ({ email: uniqueEmail('leaked'), password: `leaked-${i}-pw` }));
    victims.forEach((victim, n) => {
      list[12 + n * 5] = { email: victim.email, password: victim.password };
    });
    const answers: LightMyRequestResponse[] = [];
    for (const attempt of list) {
      answers.push(await signIn(attempt.email, attempt.password, attacker));
      auth.clock.advance(3); // under the IP throttle's per-minute budget: only the risk check stands in the way
    }
    const victimAnswers = victims.map((_, n) => answers[12 + n * 5] as LightMyRequestResponse);
    for (const answer of victimAnswers) expect(isStepUp(answer) || answer.statusCode === 401).toBe(true);
    // 13, 18, 23 and 28 accounts tried: step up; from three times the threshold (30) on, refused outright.
    expect(victimAnswers.map((a) => (a.statusCode === 401 ? 'deny' : 'step_up'))).toEqual([
      'step_up',
      'step_up',
      'step_up',
      'step_up',
      'deny',
      'deny',
      'deny',
      'deny',
    ]);
    const stuffingOf = (payload: Assessed['payload'] | undefined) =>
      payload?.signals.find((s) => s.signal === 'credential_stuffing');
    const first = await latest(victims[0]?.accountId as string);
    expect(first).toMatchObject({ decision: 'step_up', score: 55 }); // with new_ip: the victim never used this IP
    expect(stuffingOf(first)).toEqual({
      signal: 'credential_stuffing',
      points: 50,
      detail: '13 accounts tried from this IP address in 15 min',
    });
    const last = await latest(victims[7]?.accountId as string);
    expect(last).toMatchObject({ decision: 'deny', score: 105 });
    expect(stuffingOf(last)).toMatchObject({ points: 100, detail: '48 accounts tried from this IP address in 15 min' });

    // A deny answers exactly like a wrong password: same status, same body.
    const denied = victimAnswers[7] as LightMyRequestResponse;
    const wrong = answers[49] as LightMyRequestResponse;
    expect(denied.json()).toEqual(wrong.json());
    expect(denied.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    // ...and its attempt stays counted on the account's lockout counter (a right password resets it).
    const failures = async (email: string) =>
      (
        await auth.db.db
          .selectFrom('auth_lockouts')
          .select((eb) => eb.fn.sum<number>('failures').as('failures'))
          .where('email_key', '=', emailKey(normaliseEmail(email)))
          .executeTakeFirst()
      )?.failures;
    expect(Number(await failures(victims[7]?.email as string))).toBe(1);

    // The bystander, from their own device and IP, is not touched by the attacker's source.
    expect(
      isSession(await signIn(bystander.email, bystander.password, { deviceId: 'home-laptop', ip: '198.51.100.99' })),
    ).toBe(true);
    expect(await latest(bystander.accountId)).toMatchObject({ decision: 'allow', signals: [] });
    // Nor is a victim signing in from home.
    const victim = victims[7] as (typeof victims)[number];
    expect(isSession(await signIn(victim.email, victim.password, { ip: '198.51.100.100' }))).toBe(true);
  });

  it('a deny that is the attempt reaching the lockout threshold locks like a wrong password, with the owner told', async () => {
    const attacker = { ip: '192.0.2.77' };
    for (let i = 0; i < 31; i++) {
      await signIn(uniqueEmail('list'), `leaked-${i}-pw`, attacker);
      auth.clock.advance(3);
    }
    const victim = await auth.register();
    for (let i = 0; i < 4; i++) {
      expect((await signIn(victim.email, `wrong-${i}-pw`, attacker)).statusCode).toBe(401);
      auth.clock.advance(3);
    }
    // The fifth attempt has the right password, refused by the risk check: it is the one that locks.
    expect((await signIn(victim.email, victim.password, attacker)).statusCode).toBe(401);
    expect(await latest(victim.accountId)).toMatchObject({ decision: 'deny' });
    const locks = await auth.securityEvents(victim.accountId, 'account.locked');
    expect(locks).toHaveLength(1);
    expect(await auth.notifications(victim.accountId, 'notification.unlock_link')).toHaveLength(1);
  });

  it('counts one IPv6 /64 as one source, and one device across IPs', async () => {
    const [byNetwork, byDevice] = [await auth.register(), await auth.register()];
    for (let i = 1; i <= 9; i++) {
      await signIn(uniqueEmail('v6'), 'not-it-at-all', { ip: `2001:db8:77:1::${i.toString(16)}` });
      await signIn(uniqueEmail('dev'), 'not-it-at-all', { deviceId: 'rig-1', ip: `203.0.113.${100 + i}` });
    }
    expect(isStepUp(await signIn(byNetwork.email, byNetwork.password, { ip: '2001:db8:77:1:ffff::1' }))).toBe(true);
    const network = await latest(byNetwork.accountId);
    expect(network?.signals.find((s) => s.signal === 'credential_stuffing')?.detail).toBe(
      '10 accounts tried from this IPv6 network in 15 min',
    );
    expect(isStepUp(await signIn(byDevice.email, byDevice.password, { deviceId: 'rig-1', ip: '198.51.100.201' }))).toBe(
      true,
    );
    const device = await latest(byDevice.accountId);
    expect(device?.signals.find((s) => s.signal === 'credential_stuffing')?.detail).toBe(
      '10 accounts tried from this device in 15 min',
    );
  });

  it('forgets attempts older than the window', async () => {
    const account = await auth.register();
    for (let i = 0; i < 12; i++) await signIn(uniqueEmail('old'), 'not-it-at-all', { ip: '192.0.2.150' });
    auth.clock.advance(16 * 60);
    expect(isSession(await signIn(account.email, account.password, { ip: '192.0.2.150' }))).toBe(true);
    expect(signalsOf(await latest(account.accountId))).not.toContain('credential_stuffing');
  });
});
