import { randomUUID } from 'node:crypto';
import { monitorConfigSchema, parseConfig } from '@wallet-guard/config';
import { type FlagPage, TOPICS } from '@wallet-guard/contracts';
import type { DatabaseHandle } from '@wallet-guard/db';
import { enqueueEvents } from '@wallet-guard/messaging';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createEmbeddedDatabase, testInfrastructure, waitFor } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorServer } from './server';
import { at, MINUTE, walletTx } from './testing/fixtures';
import { INTERNAL_KEY, securityEvent, WALLET_KEY } from './testing/harness';

// The quick-start mode: embedded Postgres (PGlite) and in-process delivery. Same SQL, same pipeline.
let database: DatabaseHandle;
let infra: Infrastructure;
let server: FastifyInstance;

beforeAll(async () => {
  database = await createEmbeddedDatabase();
  const config = parseConfig(monitorConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: ':memory:',
    OUTBOX_POLL_INTERVAL_MS: '25',
  });
  infra = await testInfrastructure(config, database);
  server = await createMonitorServer(config, infra);
  await infra.bus.start();
});

afterAll(async () => {
  await server.close();
  await infra.close();
  await database.close();
});

describe('embedded mode (PGlite, no broker)', () => {
  it('scores submitted transactions against security events delivered in-process', async () => {
    const accountId = randomUUID();
    const now = Date.now() - 10 * MINUTE;
    const reset = securityEvent('password.reset', accountId, at(now - 5 * MINUTE));
    await database.db
      .transaction()
      .execute((trx) => enqueueEvents(trx, 'auth', [{ topic: TOPICS.securityEvents, event: reset }]));
    const transactions = [0, 1, 2].map((i) =>
      walletTx({
        accountId,
        type: 'withdrawal',
        amountMinor: '40000',
        balanceAfterMinor: String(80000 - i * 40000),
        counterparty: { id: 'wallet-99', kind: 'wallet' },
        occurredAt: at(now + i * MINUTE),
      }),
    );
    await waitFor(
      async () => (await database.db.selectFrom('monitor_security_events').select('event_id').execute()).length === 1,
      { what: 'security event stored' },
    );
    const res = await server.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: WALLET_KEY,
      payload: { transactions },
    });
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 0 });

    const page = await waitFor(
      async () => {
        const body: FlagPage = (
          await server.inject({ url: `/v1/flags?accountId=${accountId}&limit=2`, headers: INTERNAL_KEY })
        ).json();
        return body.items.length === 2 && body.nextCursor ? body : null;
      },
      { what: 'flags listed' },
    );
    const rest: FlagPage = (
      await server.inject({
        url: `/v1/flags?accountId=${accountId}&limit=2&cursor=${page.nextCursor}`,
        headers: INTERNAL_KEY,
      })
    ).json();
    const flags = [...page.items, ...rest.items];
    expect(flags.map((f) => f.transactionId).sort()).toEqual(transactions.map((t) => t.transactionId).sort());
    expect(flags.every((f) => f.reasons.some((r) => r.rule === 'after_security_change'))).toBe(true);
    expect(flags.find((f) => f.transactionId === transactions[0]?.transactionId)?.securityEventIds).toEqual([
      reset.eventId,
    ]);

    const risk = await server.inject({ url: `/v1/accounts/${accountId}/risk`, headers: INTERNAL_KEY });
    expect(risk.json()).toMatchObject({ transactionCount: 3, recentSecurityEvents: [{ eventId: reset.eventId }] });
    const score = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: WALLET_KEY,
      payload: transactions[2],
    });
    expect(score.statusCode).toBe(200);
  });
});
