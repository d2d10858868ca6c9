import { notification, securityEvent, TOPICS } from '@wallet-guard/contracts';
import { type ReceivedMessage, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import { enrolledUser, mfaTokenFor, nextCode, secondStep } from '../testing/two-factor';

let kafka: TestKafka;
let auth: AuthHarness;
let security: ReceivedMessage[];
let notifications: ReceivedMessage[];

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.securityEvents, TOPICS.notifications]);
  auth = await startAuth({ kafka });
  security = await kafka.collect(TOPICS.securityEvents);
  notifications = await kafka.collect(TOPICS.notifications);
});
afterAll(async () => {
  await auth.close();
  await kafka.cleanup();
});

/**
 * The account's messages on both topics once they have all arrived, raw and parsed by their
 * contracts; the security events must be exactly `types`, in this order.
 */
async function publishedFor(accountId: string, types: string[], notificationCount: number) {
  const mine = (list: ReceivedMessage[]) => list.filter((m) => m.key === accountId);
  await waitFor(() => mine(security).length === types.length, { what: 'security events on Kafka' });
  await waitFor(() => mine(notifications).length === notificationCount, { what: 'notifications on Kafka' });
  const published = mine(security).map((m) => securityEvent.parse(m.json()));
  // One account's events share a partition, so they arrive in the order they were committed.
  expect(published.map((e) => e.type)).toEqual(types);
  return {
    raw: { security: mine(security), notifications: mine(notifications) },
    published,
    sent: mine(notifications).map((m) => notification.parse(m.json())),
  };
}

describe('events on Kafka (through the outbox)', () => {
  it('publishes every security event and notification of an account, in order, keyed by the account', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone' } });
    await auth.signIn(email, password, { deviceId: 'tablet', ip: '203.0.113.9' });
    for (let i = 0; i < 5; i++) await auth.signIn(email, 'not-the-password-at-all', { ip: '192.0.2.1' });
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token, newPassword: strongPassword() },
    });
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${accountId}/freeze`,
      payload: { actor: 'agent:x' },
    });

    const expectedSecurity = [
      'account.created',
      'sign_in.risk_assessed',
      'sign_in.succeeded',
      ...Array(5).fill('sign_in.failed'),
      'account.locked',
      'password.reset_requested',
      'password.reset',
      'account.unlocked',
      'account.frozen',
    ];
    const { raw, published, sent } = await publishedFor(accountId, expectedSecurity, 5);
    expect(published.every((e) => e.producer === 'auth' && e.accountId === accountId)).toBe(true);
    expect(published.find((e) => e.type === 'sign_in.succeeded')?.payload).toMatchObject({
      newDevice: true,
      newIp: true,
      context: { deviceId: 'tablet', ip: '203.0.113.9' },
    });
    expect(sent.map((n) => n.type)).toEqual([
      'notification.new_sign_in',
      'notification.unlock_link',
      'notification.password_reset_link',
      'notification.password_changed',
      'notification.account_frozen',
    ]);
    expect(new Set(raw.security.map((m) => m.partition)).size).toBe(1);

    // Tokens travel in notifications and nowhere else.
    const tokens = sent.flatMap((n) =>
      Object.entries(n.payload)
        .filter(([k]) => /token$/i.test(k))
        .map(([, v]) => String(v)),
    );
    expect(tokens).toHaveLength(4);
    const securityText = raw.security.map((m) => m.value).join('\n');
    for (const t of tokens) expect(securityText).not.toContain(t);
  });

  it('publishes the two-factor events and a notice with a freeze link for each change', async () => {
    const user = await enrolledUser(auth);
    const { accountId } = user;
    const mfaToken = await mfaTokenFor(auth, user);
    await secondStep(auth, { mfaToken, recoveryCode: user.recoveryCodes[0] });
    const code = nextCode(auth, user.secret);
    await auth.wallet({ method: 'POST', url: '/v1/accounts/me/recovery-codes', payload: { code } }, user.accessToken);
    await auth.wallet(
      {
        method: 'DELETE',
        url: '/v1/accounts/me/totp',
        payload: { password: user.password, code: nextCode(auth, user.secret) },
      },
      user.accessToken,
    );

    const expectedSecurity = [
      'account.created',
      'sign_in.risk_assessed',
      'sign_in.succeeded',
      'totp.enabled',
      'sign_in.risk_assessed',
      'recovery_code.used',
      'sign_in.succeeded',
      'recovery_codes.regenerated',
      'totp.disabled',
    ];
    const { raw, published, sent } = await publishedFor(accountId, expectedSecurity, 3);
    expect(published.find((e) => e.type === 'recovery_code.used')?.payload).toMatchObject({ remaining: 9 });
    expect(published.filter((e) => e.type === 'sign_in.succeeded').map((e) => e.payload)).toMatchObject([
      { amr: ['pwd'] },
      { amr: ['pwd', 'recovery'] },
    ]);
    expect(sent.map((n) => [n.type, (n.payload as { change: string }).change])).toEqual([
      ['notification.two_factor_changed', 'enabled'],
      ['notification.two_factor_changed', 'recovery_codes_regenerated'],
      ['notification.two_factor_changed', 'disabled'],
    ]);
    for (const n of sent) expect(n.payload).toMatchObject({ freezeToken: expect.stringMatching(/^fz_/) });
    // No code, recovery code or secret travels on either topic.
    const everything = [...raw.security, ...raw.notifications].map((m) => m.value).join('\n');
    for (const secret of [code, ...user.recoveryCodes, user.secret.toString('hex'), mfaToken]) {
      expect(everything).not.toContain(secret);
    }
  });
});
