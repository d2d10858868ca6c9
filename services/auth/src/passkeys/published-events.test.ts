import { notification, securityEvent, TOPICS } from '@wallet-guard/contracts';
import { type ReceivedMessage, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import { passkeySignIn, passkeyUser } from '../testing/passkeys';

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

describe('passkey events on Kafka (through the outbox)', () => {
  it('publishes registration, sign-in, counter regression and removal, and the owner notices with a freeze link', async () => {
    const user = await passkeyUser(auth);
    const clone = user.authenticator.clone();
    const signedIn = await passkeySignIn(auth, user.authenticator, {}, { ip: '198.51.100.4' });
    expect(signedIn.statusCode).toBe(200);
    expect((await passkeySignIn(auth, clone, { counter: 1 })).statusCode).toBe(401);
    const removed = await auth.wallet(
      { method: 'DELETE', url: `/v1/accounts/me/passkeys/${user.passkeyId}`, payload: { password: user.password } },
      signedIn.json().accessToken,
    );
    expect(removed.statusCode).toBe(204);

    const mine = (list: ReceivedMessage[]) => list.filter((m) => m.key === user.accountId);
    const types = [
      'account.created',
      'sign_in.risk_assessed',
      'sign_in.succeeded',
      'passkey.registered',
      'sign_in.succeeded',
      'passkey.counter_regressed',
      'sign_in.failed',
      'passkey.removed',
    ];
    await waitFor(() => mine(security).length === types.length, { what: 'security events on Kafka' });
    const published = mine(security).map((m) => securityEvent.parse(m.json()));
    expect(published.map((e) => e.type)).toEqual(types);
    // The password sign-in's risk decision (published[1]); a passkey sign-in has none.
    expect(published[3]?.payload).toMatchObject({ passkeyId: user.passkeyId, deviceType: 'singleDevice' });
    expect(published[4]?.payload).toMatchObject({ amr: ['hwk', 'user'] });
    expect(published[5]?.payload).toMatchObject({ passkeyId: user.passkeyId, storedCounter: 1, presentedCounter: 1 });
    expect(published[6]?.payload).toMatchObject({ reason: 'wrong_passkey' });
    expect(published[7]?.payload).toMatchObject({ passkeyId: user.passkeyId, name: 'Test key' });

    await waitFor(
      () =>
        mine(notifications).filter((m) => (m.json() as { type: string }).type === 'notification.two_factor_changed')
          .length === 2,
      {
        what: 'two_factor_changed notices on Kafka',
      },
    );
    const changes = mine(notifications)
      .map((m) => notification.parse(m.json()))
      .filter((n) => n.type === 'notification.two_factor_changed')
      .map((n) => n.payload as { change: string; passkeyName?: string; freezeToken?: string; email: string });
    expect(changes).toEqual([
      expect.objectContaining({ change: 'passkey_added', passkeyName: 'Test key', email: user.email }),
      expect.objectContaining({ change: 'passkey_removed', passkeyName: 'Test key', email: user.email }),
    ]);
    expect(changes.every((c) => c.freezeToken?.startsWith('fz_'))).toBe(true);
  });
});
