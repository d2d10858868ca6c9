import { createHash } from 'node:crypto';
import { CONFIRMATION_TOKEN_AUDIENCE, payeeHash } from '@wallet-guard/contracts';
import type { AssertionOverrides, SoftwareAuthenticator } from '@wallet-guard/testing';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import { codeOf, type PasskeyUser, passkeyUser } from '../testing/passkeys';
import { enrolledUser } from '../testing/two-factor';
import { canonicalJson, confirmationChallenge } from './dynamic-linking';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const payee = { id: 'merchant-4711', kind: 'merchant' as const, name: 'Café Zur Post' };
let serial = 0;
const payment = () => ({
  transactionId: `tx-passkey-${++serial}-${Date.now()}`,
  amountMinor: '4250',
  currency: 'EUR',
  payee,
});

type RequestOptions = Parameters<SoftwareAuthenticator['authenticate']>[0];

async function opened(user: { accessToken: string }, p = payment()): Promise<string> {
  const res = await auth.wallet({ method: 'POST', url: '/v1/confirmations', payload: p }, user.accessToken);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().confirmationId;
}

async function options(user: { accessToken: string }, id: string) {
  const res = await auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/passkey-options` }, user.accessToken);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { ceremonyId: string; options: RequestOptions };
}

const approve = (user: { accessToken: string }, id: string, passkey: object) =>
  auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/approve`, payload: { passkey } }, user.accessToken);

/** Options for `id`, answered by the user's authenticator (changed by `overrides`). */
async function assertion(user: PasskeyUser, id: string, overrides: AssertionOverrides = {}) {
  const { ceremonyId, options: o } = await options(user, id);
  return { ceremonyId, response: user.authenticator.authenticate(o, overrides) };
}

const statusOf = async (id: string) =>
  (
    await auth.db.db
      .selectFrom('auth_payment_confirmations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('dynamic linking', () => {
  it('derives the challenge as SHA-256 of the RFC 8785 JSON of the details and the nonce', () => {
    const details = {
      transactionId: 'tx-1',
      confirmationId: '6f1c0d4e-9a57-4c2b-8e3f-1a2b3c4d5e6f',
      currency: 'EUR',
      amountMinor: '4250',
      payeeHash: payeeHash(payee),
    };
    const nonce = Buffer.alloc(16, 7);
    const expected = createHash('sha256')
      .update(
        `{"amountMinor":"4250","confirmationId":"6f1c0d4e-9a57-4c2b-8e3f-1a2b3c4d5e6f","currency":"EUR","payeeHash":"${payeeHash(payee)}","transactionId":"tx-1"}`,
      )
      .update(nonce)
      .digest();
    expect(Buffer.from(confirmationChallenge(details, nonce))).toEqual(expected);
    // Any detail changed, another challenge.
    for (const change of [
      { amountMinor: '4251' },
      { currency: 'USD' },
      { payeeHash: payeeHash({ ...payee, id: 'x' }) },
    ]) {
      expect(Buffer.from(confirmationChallenge({ ...details, ...change }, nonce))).not.toEqual(expected);
    }
    expect(canonicalJson({ b: 'é', a: '"' })).toBe('{"a":"\\"","b":"é"}');
    expect(() => confirmationChallenge(details, Buffer.alloc(8))).toThrow(RangeError);
  });

  it('offers the account passkeys with a fresh 32-byte challenge per ceremony, user verification required', async () => {
    const user = await passkeyUser(auth);
    const id = await opened(user);
    const view = await auth.wallet({ method: 'GET', url: `/v1/confirmations/${id}` }, user.accessToken);
    expect(view.json().methods).toEqual(['passkey']);
    const first = await options(user, id);
    const second = await options(user, id);
    expect(Buffer.from(first.options.challenge, 'base64url')).toHaveLength(32);
    expect(first.options.challenge).not.toBe(second.options.challenge);
    expect(first.options).toMatchObject({
      userVerification: 'required',
      rpId: 'localhost',
      allowCredentials: [expect.objectContaining({ id: user.authenticator.credentialIds[0] })],
    });
  });

  it('answers 404 AUTH_PASSKEY_NOT_FOUND to an account without a passkey', async () => {
    const user = await enrolledUser(auth);
    const id = await opened(user);
    const res = await auth.wallet({ method: 'POST', url: `/v1/confirmations/${id}/passkey-options` }, user.accessToken);
    expect(codeOf(res)).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);
  });
});

describe('approving with a passkey', () => {
  it('answers a phishing-resistant token (hwk + user) and redeems it', async () => {
    const user = await passkeyUser(auth);
    const p = payment();
    const id = await opened(user, p);
    const res = await approve(user, id, await assertion(user, id));
    expect(res.statusCode, res.body).toBe(200);
    const jwks = (await auth.wallet({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const { payload } = await jwtVerify(res.json().confirmationToken, createLocalJWKSet(jwks), {
      audience: CONFIRMATION_TOKEN_AUDIENCE,
      typ: 'confirmation+jwt',
      currentDate: auth.clock.now(),
    });
    expect(payload).toMatchObject({
      sub: user.accountId,
      jti: id,
      txn: p.transactionId,
      amt: '4250',
      cur: 'EUR',
      payee_hash: payeeHash(payee),
      amr: ['hwk', 'user'],
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    const events = await auth.securityEvents(user.accountId, 'payment_confirmation.approved');
    expect(events.map((e) => e.payload)).toMatchObject([{ confirmationId: id, method: 'passkey' }]);
    const redeemed = await auth.wallet({
      method: 'POST',
      url: '/v1/confirmations/redeem',
      payload: {
        confirmationToken: res.json().confirmationToken,
        transactionId: p.transactionId,
        amountMinor: p.amountMinor,
        currency: p.currency,
        payee: { id: payee.id, kind: payee.kind },
      },
    });
    expect(redeemed.json()).toMatchObject({
      amr: ['hwk', 'user'],
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
  });

  it('says swk for a synced passkey', async () => {
    const user = await passkeyUser(auth, { synced: true });
    const id = await opened(user);
    const res = await approve(user, id, await assertion(user, id));
    const claims = JSON.parse(Buffer.from(res.json().confirmationToken.split('.')[1], 'base64url').toString());
    expect(claims.amr).toEqual(['swk', 'user']);
  });

  it('refuses a bad signature, another origin or no user verification with 401, counted, and leaves it pending', async () => {
    const user = await passkeyUser(auth);
    const id = await opened(user);
    const refusals: AssertionOverrides[] = [
      { corruptSignature: true },
      { origin: 'https://phishing.example' },
      { userVerified: false },
      { rpId: 'phishing.example' },
    ];
    for (const overrides of refusals) {
      expect(codeOf(await approve(user, id, await assertion(user, id, overrides))), JSON.stringify(overrides)).toEqual([
        401,
        'AUTH_PASSKEY_REJECTED',
      ]);
    }
    expect(await statusOf(id)).toBe('pending');
    const failed = await auth.securityEvents(user.accountId, 'sign_in.failed');
    expect(failed.map((e) => (e.payload as { reason: string }).reason)).toEqual(Array(4).fill('wrong_passkey'));
    // The fifth failure on the step-up counter locks it: then even a right answer is refused.
    await approve(user, id, await assertion(user, id, { corruptSignature: true }));
    expect(await auth.securityEvents(user.accountId, 'account.locked')).toHaveLength(1);
    expect(codeOf(await approve(user, id, await assertion(user, id)))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
  });

  it("refuses another confirmation's ceremony and a used one with 400 AUTH_PASSKEY_CHALLENGE_INVALID", async () => {
    const user = await passkeyUser(auth);
    const first = await opened(user);
    const second = await opened(user);
    const forFirst = await assertion(user, first);
    // Options of the first confirmation cannot approve the second: the challenge signed the first's details.
    expect(codeOf(await approve(user, second, forFirst))).toEqual([400, 'AUTH_PASSKEY_CHALLENGE_INVALID']);
    expect(await statusOf(second)).toBe('pending');
    // A ceremony is answered once: after a refused answer, a right one is too late.
    const once = await options(user, first);
    const refused = user.authenticator.authenticate(once.options, { corruptSignature: true });
    expect(codeOf(await approve(user, first, { ceremonyId: once.ceremonyId, response: refused }))).toEqual([
      401,
      'AUTH_PASSKEY_REJECTED',
    ]);
    const late = user.authenticator.authenticate(once.options);
    expect(codeOf(await approve(user, first, { ceremonyId: once.ceremonyId, response: late }))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    // An answer to a challenge of the attacker's choosing does not verify either.
    const { ceremonyId } = await options(user, first);
    const forged = user.authenticator.authenticate(
      { challenge: Buffer.alloc(32, 1).toString('base64url'), rpId: 'localhost' },
      {},
    );
    expect(codeOf(await approve(user, first, { ceremonyId, response: forged }))).toEqual([
      401,
      'AUTH_PASSKEY_REJECTED',
    ]);
    // The first confirmation's own ceremony, untouched by the misdirected attempt, still approves it.
    expect((await approve(user, first, forFirst)).statusCode).toBe(200);
  });

  it("answers a stranger's attempt on the confirmation with 404, before any ceremony is used", async () => {
    const owner = await passkeyUser(auth);
    const stranger = await passkeyUser(auth);
    const id = await opened(owner);
    const ownerAnswer = await assertion(owner, id);
    expect(codeOf(await approve(stranger, id, ownerAnswer))).toEqual([404, 'AUTH_CONFIRMATION_NOT_FOUND']);
    expect((await approve(owner, id, ownerAnswer)).statusCode).toBe(200);
  });
});
