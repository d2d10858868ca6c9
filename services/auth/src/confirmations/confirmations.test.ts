import { CONFIRMATION_TOKEN_AUDIENCE, payeeHash, securityEvent, TOPICS } from '@wallet-guard/contracts';
import { type ReceivedMessage, TestKafka, waitFor } from '@wallet-guard/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../auth-context';
import { type AuthHarness, startAuth } from '../testing/harness';
import { enrolledUser, mfaTokenFor, nextCode, secondStep, type TwoFactorUser, wrongCode } from '../testing/two-factor';
import { expireAbandonedConfirmations } from './confirmations';

let kafka: TestKafka;
let auth: AuthHarness;
let security: ReceivedMessage[];

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.securityEvents, TOPICS.notifications]);
  auth = await startAuth({ kafka });
  security = await kafka.collect(TOPICS.securityEvents);
});
afterAll(async () => {
  await auth.close();
  await kafka.cleanup();
});

const payee = { id: 'DE89370400440532013000', kind: 'bank_account' as const, name: 'Müller Elektro GmbH' };
let serial = 0;
const payment = (overrides: Record<string, unknown> = {}) => ({
  transactionId: `tx-confirm-${++serial}-${Date.now()}`,
  amountMinor: '125000',
  currency: 'EUR',
  payee,
  ...overrides,
});

type Payment = ReturnType<typeof payment>;

const create = (user: { accessToken: string }, body: object) =>
  auth.wallet({ method: 'POST', url: '/v1/confirmations', payload: body }, user.accessToken);
const get = (user: { accessToken: string }, id: string) =>
  auth.wallet({ method: 'GET', url: `/v1/confirmations/${id}` }, user.accessToken);
const approve = (user: { accessToken: string }, id: string, body: object) =>
  auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/approve`, payload: body }, user.accessToken);
const refuse = (user: { accessToken: string }, id: string) =>
  auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/refuse`, payload: { context: {} } }, user.accessToken);
const redeem = (body: object) => auth.wallet({ method: 'POST', url: '/v1/confirmations/redeem', payload: body });

/** What the wallet sends to redeem the token for `p` (the payee's name is not bound). */
const redemption = (confirmationToken: string, p: Payment) => ({
  confirmationToken,
  transactionId: p.transactionId,
  amountMinor: p.amountMinor,
  currency: p.currency,
  payee: { id: p.payee.id, kind: p.payee.kind },
});

/** A pending confirmation of `p` for the user (fails the test otherwise). */
async function opened(user: TwoFactorUser, p: Payment): Promise<string> {
  const res = await create(user, p);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().confirmationId;
}

/** A confirmation of `p` approved with a right authenticator code: its id and token. */
async function approved(user: TwoFactorUser, p: Payment): Promise<{ id: string; token: string }> {
  const id = await opened(user, p);
  const res = await approve(user, id, { totpCode: nextCode(auth, user.secret), context: { ip: '198.51.100.4' } });
  expect(res.statusCode, res.body).toBe(200);
  return { id, token: res.json().confirmationToken };
}

/** What the housekeeping job works with: this service's database, bus, clock and configuration. */
const housekeepingContext = () =>
  ({ db: auth.db.db, bus: auth.infra.bus, clock: auth.clock.now, config: auth.config }) as unknown as AuthContext;

const statusOf = async (id: string) =>
  (
    await auth.db.db
      .selectFrom('auth_payment_confirmations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('opening a confirmation (wallet key + the user bearer)', () => {
  it('opens a pending confirmation whose page shows the amount, the payee and the ways to approve', async () => {
    const user = await enrolledUser(auth);
    const p = payment({ locale: 'zh-CN' });
    const before = auth.clock.now().getTime();
    const res = await create(user, p);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ status: 'pending', portalPath: `/confirmations/${created.confirmationId}` });
    expect(Date.parse(created.expiresAt) - before).toBeGreaterThanOrEqual(300_000 - 1000);
    expect(Date.parse(created.expiresAt) - before).toBeLessThanOrEqual(300_000 + 1000);

    const view = await get(user, created.confirmationId);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      confirmationId: created.confirmationId,
      transactionId: p.transactionId,
      amountMinor: '125000',
      currency: 'EUR',
      payee,
      locale: 'zh-CN',
      status: 'pending',
      methods: ['totp'],
    });
  });

  it("uses the account's locale when the wallet names none", async () => {
    const user = await enrolledUser(auth);
    const id = await opened(user, payment());
    expect((await get(user, id)).json().locale).toBe('en');
  });

  it('refuses an account with nothing to approve with: 409 AUTH_SECOND_FACTOR_REQUIRED', async () => {
    const { email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    const res = await create({ accessToken }, payment());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('AUTH_SECOND_FACTOR_REQUIRED');
  });

  it('keeps one live confirmation per transaction: a second is 409 AUTH_CONFIRMATION_EXISTS naming the first', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const first = await opened(user, p);
    const again = await create(user, { ...p, amountMinor: '1' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'AUTH_CONFIRMATION_EXISTS',
      details: { confirmationId: first, status: 'pending' },
    });
    // Once refused, the wallet may ask again for the same transaction.
    expect((await refuse(user, first)).statusCode).toBe(204);
    expect((await create(user, p)).statusCode).toBe(201);
  });

  it('answers bad input with 400 and a stable code, and no bearer with 401', async () => {
    const user = await enrolledUser(auth);
    for (const bad of [
      payment({ amountMinor: '12.50' }),
      payment({ amountMinor: 1250 }),
      payment({ currency: 'EURO' }),
      payment({ payee: { ...payee, kind: 'pigeon' } }),
      payment({ payee: { ...payee, name: '' } }),
      payment({ transactionId: 'x'.repeat(129) }),
      payment({ locale: 'not a locale' }),
    ]) {
      const res = await create(user, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('AUTH_VALIDATION_FAILED');
    }
    const anonymous = await auth.wallet({ method: 'POST', url: '/v1/confirmations', payload: payment() });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('AUTH_INVALID_ACCESS_TOKEN');
    expect((await get(user, 'not-a-uuid')).statusCode).toBe(400);
  });
});

describe('approving with an authenticator code', () => {
  it('answers a token verifiable with the JWKS whose claims bind the account, transaction, amount, currency and payee', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { id, token } = await approved(user, p);
    const jwks = (await auth.wallet({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      audience: CONFIRMATION_TOKEN_AUDIENCE,
      issuer: auth.config.tokens.issuer,
      typ: 'confirmation+jwt',
      currentDate: auth.clock.now(),
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({
      sub: user.accountId,
      jti: id,
      txn: p.transactionId,
      amt: '125000',
      cur: 'EUR',
      payee_hash: payeeHash(payee),
      amr: ['otp'],
      acr: 'urn:wallet-guard:acr:aal2',
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(120);
    expect(await statusOf(id)).toBe('approved');
    const view = (await get(user, id)).json();
    expect(view).toMatchObject({ status: 'approved', methods: [] });
    const events = await auth.securityEvents(user.accountId, 'payment_confirmation.approved');
    expect(events.map((e) => e.payload)).toEqual([
      { confirmationId: id, transactionId: p.transactionId, method: 'totp', context: { ip: '198.51.100.4' } },
    ]);
  });

  it('refuses a wrong code with 401 AUTH_SECOND_FACTOR_INVALID, leaves it pending, and counts it', async () => {
    const user = await enrolledUser(auth);
    const id = await opened(user, payment());
    const res = await approve(user, id, { totpCode: wrongCode(user.secret, auth.clock.now()) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
    expect(await statusOf(id)).toBe('pending');
    const failed = await auth.securityEvents(user.accountId, 'sign_in.failed');
    expect(failed.map((e) => e.payload)).toMatchObject([{ reason: 'wrong_second_factor', failures: 1 }]);
    // The right code still approves.
    expect((await approve(user, id, { totpCode: nextCode(auth, user.secret) })).statusCode).toBe(200);
  });

  it('takes exactly one proof: both, none or a malformed one is 400', async () => {
    const user = await enrolledUser(auth);
    const id = await opened(user, payment());
    const code = nextCode(auth, user.secret);
    const passkey = { ceremonyId: '00000000-0000-4000-8000-000000000000', response: { id: 'x' } };
    for (const body of [{}, { totpCode: code, passkey }, { totpCode: '12345' }, { passkey }]) {
      const res = await approve(user, id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('AUTH_VALIDATION_FAILED');
    }
    expect(await statusOf(id)).toBe('pending');
  });

  it('does not approve twice: 409 AUTH_CONFIRMATION_NOT_PENDING', async () => {
    const user = await enrolledUser(auth);
    const { id } = await approved(user, payment());
    const again = await approve(user, id, { totpCode: nextCode(auth, user.secret) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'AUTH_CONFIRMATION_NOT_PENDING',
      details: { status: 'approved' },
    });
    expect((await refuse(user, id)).statusCode).toBe(409);
  });
});

describe('redeeming (wallet key)', () => {
  it('redeems once for the exact payment, then 409 AUTH_CONFIRMATION_USED', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { id, token } = await approved(user, p);
    const res = await redeem(redemption(token, p));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accountId: user.accountId,
      confirmationId: id,
      amr: ['otp'],
      acr: 'urn:wallet-guard:acr:aal2',
    });
    expect(await statusOf(id)).toBe('redeemed');
    const second = await redeem(redemption(token, p));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('AUTH_CONFIRMATION_USED');
  });

  it('redeems once when two redemptions race', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { token } = await approved(user, p);
    const answers = await Promise.all([1, 2, 3, 4].map(() => redeem(redemption(token, p))));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
  });

  it.each([
    ['transactionId', { transactionId: 'tx-someone-else' }],
    ['amountMinor', { amountMinor: '125001' }],
    ['currency', { currency: 'USD' }],
    ['payee', { payee: { id: 'DE02120300000000202051', kind: 'bank_account' } }],
    ['payee', { payee: { id: payee.id, kind: 'wallet' } }],
  ])(
    'refuses a changed %s with 422 AUTH_CONFIRMATION_MISMATCH and keeps the token for the right payment',
    async (field, change) => {
      const user = await enrolledUser(auth);
      const p = payment();
      const { token } = await approved(user, p);
      const res = await redeem({ ...redemption(token, p), ...change });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'AUTH_CONFIRMATION_MISMATCH', details: { fields: [field] } });
      expect((await redeem(redemption(token, p))).statusCode).toBe(200);
    },
  );

  it('refuses an expired token, a forged one, an access token and garbage with 401 AUTH_CONFIRMATION_INVALID', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { token } = await approved(user, p);
    const [header, body, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, amt: '1' })).toString('base64url')}.${signature}`;
    for (const bad of [forged, user.accessToken, 'not.a.token', 'x']) {
      const res = await redeem(redemption(bad, { ...p, amountMinor: bad === forged ? '1' : p.amountMinor }));
      expect(res.statusCode, bad).toBe(401);
      expect(res.json().error.code).toBe('AUTH_CONFIRMATION_INVALID');
    }
    expect(decodeProtectedHeader(token).typ).toBe('confirmation+jwt');
    // A confirmation token is not an access token either.
    expect((await get({ accessToken: token }, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(401);
    auth.clock.advance(121);
    const late = await redeem(redemption(token, p));
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('AUTH_CONFIRMATION_INVALID');
  });

  it('refuses a token of an account frozen since the approval', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { token } = await approved(user, p);
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${user.accountId}/freeze`,
      payload: { actor: 'agent:t' },
    });
    expect((await redeem(redemption(token, p))).statusCode).toBe(401);
  });

  it('takes only the wallet key, and bounds the token', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const { token } = await approved(user, p);
    const noKey = await auth.server.inject({
      method: 'POST',
      url: '/v1/confirmations/redeem',
      payload: redemption(token, p),
    });
    expect(noKey.statusCode).toBe(401);
    const huge = await redeem(redemption('a'.repeat(5000), p));
    expect(huge.statusCode).toBe(400);
  });
});

describe('whose confirmation', () => {
  it("answers another account's confirmation exactly like an unknown one: 404 on every route", async () => {
    const owner = await enrolledUser(auth);
    const stranger = await enrolledUser(auth);
    const id = await opened(owner, payment());
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const target of [id, unknown]) {
      const answers = [
        await get(stranger, target),
        await approve(stranger, target, { totpCode: nextCode(auth, stranger.secret) }),
        await refuse(stranger, target),
        await auth.wallet({ method: 'POST', url: `/v1/confirmations/${target}/passkey-options` }, stranger.accessToken),
      ];
      for (const res of answers) {
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('AUTH_CONFIRMATION_NOT_FOUND');
      }
    }
    expect(await statusOf(id)).toBe('pending');
  });
});

describe('refusing', () => {
  it('refuses once with payment_confirmation.refused; a decided one is 409', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const id = await opened(user, p);
    expect((await refuse(user, id)).statusCode).toBe(204);
    expect(await statusOf(id)).toBe('refused');
    const events = await auth.securityEvents(user.accountId, 'payment_confirmation.refused');
    expect(events.map((e) => e.payload)).toEqual([
      { confirmationId: id, transactionId: p.transactionId, refusals: 1, context: {} },
    ]);
    const again = await refuse(user, id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'AUTH_CONFIRMATION_NOT_PENDING', details: { status: 'refused' } });
    expect((await approve(user, id, { totpCode: nextCode(auth, user.secret) })).statusCode).toBe(409);
  });

  it('counts refusals on the step-up counter: the fifth locks it, and even a right code is then refused', async () => {
    const user = await enrolledUser(auth);
    for (let i = 1; i <= 5; i++) expect((await refuse(user, await opened(user, payment()))).statusCode).toBe(204);
    const refused = await auth.securityEvents(user.accountId, 'payment_confirmation.refused');
    expect(refused.map((e) => (e.payload as { refusals: number }).refusals)).toEqual([1, 2, 3, 4, 5]);
    const locked = await auth.securityEvents(user.accountId, 'account.locked');
    expect(locked.map((e) => e.payload)).toMatchObject([
      { reason: 'too_many_second_factor_failures', failures: 5, hard: false },
    ]);
    expect(await auth.notifications(user.accountId, 'notification.unlock_link')).toHaveLength(1);
    const id = await opened(user, payment());
    const blocked = await approve(user, id, { totpCode: nextCode(auth, user.secret) });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
    // Refusing stays possible while locked, and locks nothing more.
    expect((await refuse(user, id)).statusCode).toBe(204);
    expect(await auth.securityEvents(user.accountId, 'account.locked')).toHaveLength(1);
    // The lock ends (the access token too: sign in again); then a right code approves again.
    auth.clock.advance(auth.config.lockout.lockSeconds + 1);
    const mfaToken = await mfaTokenFor(auth, user);
    const session = await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) });
    const again = { ...user, accessToken: session.json().accessToken };
    const res = await approve(again, await opened(again, payment()), { totpCode: nextCode(auth, user.secret) });
    expect(res.statusCode).toBe(200);
  });
});

describe('expiry and abandonment', () => {
  it('answers 410 after the expiry, reads as expired, and housekeeping announces it abandoned once', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const id = await opened(user, p);
    auth.clock.advance(301);
    const late = await approve(user, id, { totpCode: nextCode(auth, user.secret) });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('AUTH_CONFIRMATION_EXPIRED');
    expect((await refuse(user, id)).statusCode).toBe(410);
    expect((await get(user, id)).json()).toMatchObject({ status: 'expired', methods: [] });

    const ctx = housekeepingContext();
    expect(await expireAbandonedConfirmations(ctx)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(id)).toBe('expired');
    await expireAbandonedConfirmations(ctx);
    const abandoned = await auth.securityEvents(user.accountId, 'payment_confirmation.abandoned');
    expect(abandoned.map((e) => e.payload)).toEqual([
      { confirmationId: id, transactionId: p.transactionId, context: {} },
    ]);
    // The slot is free again.
    expect((await create(user, p)).statusCode).toBe(201);
  });
});

describe('the wallet collecting the token of a portal approval', () => {
  const collect = (user: { accessToken: string }, id: string) =>
    auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/token` }, user.accessToken);

  it('answers a fresh token with the same bound claims while approved, then refuses once redeemed', async () => {
    const user = await enrolledUser(auth);
    const p = payment();
    const id = await opened(user, p);
    const early = await collect(user, id);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('AUTH_CONFIRMATION_NOT_APPROVED');

    const res = await approve(user, id, { totpCode: nextCode(auth, user.secret) });
    expect(res.statusCode, res.body).toBe(200);
    auth.clock.advance(5);
    const collected = await collect(user, id);
    expect(collected.statusCode, collected.body).toBe(200);
    const { confirmationToken } = collected.json();
    expect(confirmationToken).not.toBe(res.json().confirmationToken);
    const redeemed = await redeem(redemption(confirmationToken, p));
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.json()).toMatchObject({ accountId: user.accountId, confirmationId: id, amr: ['otp'] });
    // Either token is spent now: one redemption per confirmation.
    expect((await redeem(redemption(res.json().confirmationToken, p))).statusCode).toBe(409);
    const used = await collect(user, id);
    expect(used.statusCode).toBe(409);
    expect(used.json().error.code).toBe('AUTH_CONFIRMATION_USED');
  });

  it("is the owner's only: another user gets 404, a refused one 409, an old approval 410", async () => {
    const owner = await enrolledUser(auth);
    const stranger = await enrolledUser(auth);
    const approvedOne = await approved(owner, payment());
    expect((await collect(stranger, approvedOne.id)).statusCode).toBe(404);

    const refusedId = await opened(owner, payment());
    expect((await refuse(owner, refusedId)).statusCode).toBe(204);
    const refused = await collect(owner, refusedId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('AUTH_CONFIRMATION_NOT_PENDING');

    auth.clock.advance(301);
    const stale = await collect(owner, approvedOne.id);
    expect(stale.statusCode).toBe(410);
    expect(stale.json().error.code).toBe('AUTH_CONFIRMATION_EXPIRED');
  });
});

describe('events on Kafka', () => {
  it('publishes approved, refused and abandoned on auth.security-events.v1, keyed by the account', async () => {
    const user = await enrolledUser(auth);
    const first = payment();
    const { id: approvedId } = await approved(user, first);
    const refusedId = await opened(user, payment());
    await refuse(user, refusedId);
    const abandonedId = await opened(user, payment());
    auth.clock.advance(301);
    await expireAbandonedConfirmations(housekeepingContext());
    const mine = () =>
      security
        .filter((m) => m.key === user.accountId)
        .map((m) => securityEvent.parse(m.json()))
        .filter((e) => e.type.startsWith('payment_confirmation.'));
    await waitFor(() => mine().length === 3, { what: 'payment confirmation events on Kafka' });
    expect(mine().map((e) => [e.type, (e.payload as { confirmationId: string }).confirmationId])).toEqual([
      ['payment_confirmation.approved', approvedId],
      ['payment_confirmation.refused', refusedId],
      ['payment_confirmation.abandoned', abandonedId],
    ]);
  });
});
