import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorConfigSchema, parseConfig } from '@wallet-guard/config';
import {
  CONFIRMATION_TOKEN_AUDIENCE,
  CONFIRMATION_TOKEN_TYPE,
  payeeHash,
  type ScoreResult,
} from '@wallet-guard/contracts';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createTestDatabase, LogCapture, type TestDatabase, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorServer } from '../server';
import { walletTx } from '../testing/fixtures';
import { WALLET_KEY } from '../testing/harness';

// A monitor whose JWKS URL points at a key-set server that can answer 503 or be closed: tokens
// it cannot check leave the transaction unconfirmed, answered 200, counted and logged without them.
// (Tokens auth really signs, and the binding checks, are in tests/e2e/payment-confirmation.test.ts.)

let jwks: Server;
let db: TestDatabase;
let infra: Infrastructure;
let server: FastifyInstance;
const logs = new LogCapture();

beforeAll(async () => {
  jwks = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"error":"down"}');
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  db = await createTestDatabase({ poolMax: 5 });
  const config = parseConfig(
    monitorConfigSchema,
    testEnv(db, undefined, { MONITOR_AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` }),
  );
  infra = await testInfrastructure(config, db);
  server = await createMonitorServer(config, infra, logs);
  await infra.bus.start();
});
afterAll(async () => {
  await server.close();
  await infra.close();
  await db.drop();
  await new Promise((resolve) => jwks.close(resolve));
});

const payee = { id: 'DE89370400440532013000', kind: 'bank_account' as const };

/** A review-level payment: a large first transfer to a new account that empties the balance. */
const risky = (confirmationToken?: string) =>
  walletTx({
    accountId: randomUUID(),
    type: 'transfer_out',
    amountMinor: '200000',
    balanceAfterMinor: '5000',
    counterparty: payee,
    occurredAt: new Date().toISOString(),
    ...(confirmationToken ? { confirmationToken } : {}),
  });

/** A well-formed confirmation token for `tx`, signed by a key auth never published. */
async function tokenFor(tx: ReturnType<typeof risky>): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    txn: tx.transactionId,
    amt: tx.amountMinor,
    cur: tx.currency,
    payee_hash: payeeHash(payee),
    amr: ['hwk', 'user'],
    acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'stranger', typ: CONFIRMATION_TOKEN_TYPE })
    .setIssuer('wallet-guard-auth')
    .setAudience(CONFIRMATION_TOKEN_AUDIENCE)
    .setSubject(tx.accountId)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 120)
    .sign(privateKey);
}

async function score(tx: object): Promise<ScoreResult> {
  const res = await server.inject({ method: 'POST', url: '/v1/score', headers: WALLET_KEY, payload: tx });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function tokenChecks(outcome: string): Promise<number> {
  const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text
    .split('\n')
    .find((l) => l.startsWith('monitor_confirmation_tokens_total{') && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('tokens the monitor cannot check', () => {
  it('asks for a confirmation of a review-level payment without a token', async () => {
    const result = await score(risky());
    expect(result.decision).toBe('review');
    expect(result).toMatchObject({ confirmationRequired: true, confirmed: false });
  });

  it('scores unconfirmed, never 500, while the JWKS answers 503, and logs it without the token', async () => {
    const plain = risky();
    const token = await tokenFor(plain);
    const before = await tokenChecks('unavailable');
    const result = await score({ ...plain, confirmationToken: token });
    const without = await score(plain);
    expect(result).toEqual(without);
    expect(result).toMatchObject({ confirmationRequired: true, confirmed: false });
    expect(result.reasons.map((r) => r.rule)).not.toContain('owner_confirmed');
    expect(await tokenChecks('unavailable')).toBe(before + 1);
    const warning = logs.entries().find((e) => e.msg === 'confirmation not verified: auth JWKS unreachable');
    expect(warning).toMatchObject({ transactionId: plain.transactionId });
    expect(logs.text).not.toContain(token);
    expect(logs.text).not.toContain(token.split('.')[2]);
  });

  it('scores unconfirmed when the JWKS server is gone', async () => {
    const plain = risky();
    const token = await tokenFor(plain);
    const closed = new Promise((resolve) => jwks.close(resolve));
    jwks.closeAllConnections();
    await closed;
    // Past the back-off of the previous failure.
    await new Promise((resolve) => setTimeout(resolve, 5100));
    const before = await tokenChecks('unavailable');
    const result = await score({ ...plain, confirmationToken: token });
    expect(result).toMatchObject({ confirmationRequired: true, confirmed: false });
    expect(await tokenChecks('unavailable')).toBe(before + 1);
  });

  it('refuses a token that is not a JWT as invalid without asking for keys, and bounds its length', async () => {
    const before = await tokenChecks('invalid');
    const result = await score(risky('not-a-token'));
    expect(result).toMatchObject({ confirmationRequired: true, confirmed: false });
    expect(await tokenChecks('invalid')).toBe(before + 1);
    const huge = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: WALLET_KEY,
      payload: risky('a'.repeat(4097)),
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.code).toBe('TXM_VALIDATION_FAILED');
  });
});
