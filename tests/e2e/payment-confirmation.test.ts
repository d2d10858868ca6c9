import { createHmac, randomUUID } from 'node:crypto';
import type { MonitorFlag, ScoreResult, WalletTransaction } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_PASSWORD, call } from './http';
import { type System, startSystem } from './system';

// The payment confirmation as the wallet uses it, across auth and the monitor over real HTTP:
// the monitor asks for a confirmation, the owner approves the payment in auth with an
// authenticator code, the monitor checks auth's token with auth's JWKS and lowers the score of
// exactly that payment, the pipeline records it, and auth redeems the token once.

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

const WALLET = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };
const INTERNAL = { 'x-api-key': 'dev-internal-key', 'content-type': 'application/json' };

/** RFC 6238 (HMAC-SHA-1, 30 s, 6 digits) on node:crypto alone, so the test does not trust auth's code. */
function totp(secretBase32: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[19] as number) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 30_000);

interface Customer {
  accountId: string;
  accessToken: string;
  secret: string;
}

/** Registers, signs in and turns on two-step verification (the current step's code is then used). */
async function customer(): Promise<Customer> {
  const email = `payer.${randomUUID().slice(0, 8)}@example.com`;
  const created = await call(system.auth.url, 'POST', '/v1/accounts', { email, password: CUSTOMER_PASSWORD });
  expect(created.status).toBe(201);
  const session = await call(system.auth.url, 'POST', '/v1/sessions', { email, password: CUSTOMER_PASSWORD });
  expect(session.status).toBe(200);
  const accessToken: string = session.body.accessToken;
  const asUser = { ...WALLET, authorization: `Bearer ${accessToken}` };
  const started = await call(system.auth.url, 'POST', '/v1/accounts/me/totp', {}, asUser);
  expect(started.status).toBe(201);
  const secret: string = started.body.secret;
  const confirmed = await call(
    system.auth.url,
    'POST',
    '/v1/accounts/me/totp/confirm',
    { code: totp(secret, stepNow()) },
    asUser,
  );
  expect(confirmed.status).toBe(200);
  return { accountId: created.body.accountId, accessToken, secret };
}

const payee = { id: 'DE89370400440532013000', kind: 'bank_account' as const };

/** A review-level payment: a large first transfer to a new account that empties the balance. */
const payment = (accountId: string, fields: Partial<WalletTransaction> = {}): WalletTransaction => ({
  transactionId: `tx-sca-${randomUUID()}`,
  accountId,
  type: 'transfer_out',
  amountMinor: '200000',
  currency: 'EUR',
  balanceAfterMinor: '5000',
  counterparty: payee,
  channel: 'app',
  occurredAt: new Date().toISOString(),
  ...fields,
});

async function score(tx: WalletTransaction): Promise<ScoreResult> {
  const res = await call(system.monitor.url, 'POST', '/v1/score', tx);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The owner confirms `tx` in auth with an authenticator code (a step later than enrolment's). */
async function confirmedBy(owner: Customer, tx: WalletTransaction): Promise<string> {
  const asUser = { ...WALLET, authorization: `Bearer ${owner.accessToken}` };
  const opened = await call(
    system.auth.url,
    'POST',
    '/v1/confirmations',
    {
      transactionId: tx.transactionId,
      amountMinor: tx.amountMinor,
      currency: tx.currency,
      payee: { ...payee, name: 'Müller Elektro GmbH' },
    },
    asUser,
  );
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  // AUTH_TOTP_DRIFT_STEPS (1) accepts the next step's code: later than the enrolment's, no waiting.
  const approved = await call(
    system.auth.url,
    'POST',
    `/v1/confirmations/${opened.body.confirmationId}/approve`,
    { totpCode: totp(owner.secret, stepNow() + 1) },
    asUser,
  );
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return approved.body.confirmationToken;
}

let owner: Customer;
let tx: WalletTransaction;
let token: string;
let unconfirmed: ScoreResult;

describe('payment confirmation between auth and the monitor', () => {
  beforeAll(async () => {
    owner = await customer();
    tx = payment(owner.accountId);
    unconfirmed = await score(tx);
    token = await confirmedBy(owner, tx);
  });

  it('asks for the confirmation of a review-level payment', () => {
    expect(unconfirmed.decision).toBe('review');
    expect(unconfirmed).toMatchObject({ confirmationRequired: true, confirmed: false });
  });

  it('lowers the score of exactly the confirmed payment and no longer asks', async () => {
    const result = await score({ ...tx, confirmationToken: token });
    expect(result).toMatchObject({ confirmed: true, confirmationRequired: false });
    expect(result.score).toBeLessThan(unconfirmed.score);
    const reason = result.reasons.find((r) => r.rule === 'owner_confirmed');
    expect(reason?.points).toBe(unconfirmed.score - result.score);
    expect(reason?.detail).toContain('an authenticator code');
    // The rules' own reasons are still there for an agent to read.
    expect(result.reasons.filter((r) => r.rule !== 'owner_confirmed')).toEqual(unconfirmed.reasons);
  });

  it.each([
    ['another amount', { amountMinor: '200001' }],
    ['another currency', { currency: 'USD' }],
    ['another payee', { counterparty: { id: 'DE02120300000000202051', kind: 'bank_account' as const } }],
    ['another kind of payee', { counterparty: { id: payee.id, kind: 'wallet' as const } }],
    ['no payee', { counterparty: undefined }],
    ['another transaction', { transactionId: 'tx-sca-other' }],
  ])('ignores the token on %s: scored as if it were not there', async (_what, change) => {
    const changed = { ...tx, ...change };
    const withToken = await score({ ...changed, confirmationToken: token });
    const without = await score(changed);
    expect(withToken).toEqual(without);
    expect(withToken.confirmed).toBe(false);
    expect(withToken.reasons.map((r) => r.rule)).not.toContain('owner_confirmed');
  });

  it("ignores the token on another account's payment", async () => {
    const other = payment(randomUUID(), { transactionId: tx.transactionId });
    const withToken = await score({ ...other, confirmationToken: token });
    expect(withToken).toMatchObject({ confirmed: false, confirmationRequired: true });
  });

  it('records the confirmation on the flag when the payment goes through, and keeps no token', async () => {
    const submitted = await call(system.monitor.url, 'POST', '/v1/transactions', {
      transactions: [{ ...tx, confirmationToken: token }],
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.accepted).toBe(1);
    const flag = await waitFor(
      async () => {
        const page = await call(
          system.monitor.url,
          'GET',
          `/v1/flags?transactionId=${tx.transactionId}`,
          undefined,
          INTERNAL,
        );
        return (page.body?.items as MonitorFlag[] | undefined)?.[0];
      },
      { what: 'the flag of the confirmed payment' },
    );
    const confirmedReason = flag.reasons.find((r) => r.rule === 'owner_confirmed');
    const confirmationId = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti;
    expect(confirmedReason?.detail).toContain(confirmationId);
    expect(flag.score).toBeLessThan(unconfirmed.score);
    expect(flag.decision).not.toBe('review');
    const db = system.monitor.db.db;
    const stored = JSON.stringify([
      await db.selectFrom('monitor_transactions').selectAll().where('transaction_id', '=', tx.transactionId).execute(),
      await db.selectFrom('monitor_flags').selectAll().where('transaction_id', '=', tx.transactionId).execute(),
    ]);
    expect(stored).toContain(tx.transactionId);
    expect(stored).not.toContain(token.split('.')[2] as string);
  });

  it('lets the wallet redeem the token with auth once', async () => {
    const body = {
      confirmationToken: token,
      transactionId: tx.transactionId,
      amountMinor: tx.amountMinor,
      currency: tx.currency,
      payee,
    };
    const first = await call(system.auth.url, 'POST', '/v1/confirmations/redeem', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accountId: owner.accountId, amr: ['otp'], acr: 'urn:wallet-guard:acr:aal2' });
    const second = await call(system.auth.url, 'POST', '/v1/confirmations/redeem', body);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('AUTH_CONFIRMATION_USED');
  });
});
