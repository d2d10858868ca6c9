// Kind 1 for the transaction monitor, at the edges a wallet backend may legitimately reach:
// amounts at the 64-bit maximum summed in the window rules, coordinates at the poles and the
// antimeridian (and -0), instants at both ends of INSTANT_RANGE, and filter instants finer than
// Postgres' microsecond. Each accepted transaction must be applied (never dead-lettered), every
// answer read back must fit its response schema, and every figure must be exact.
import { randomUUID } from 'node:crypto';
import { monitorConfigSchema, parseConfig } from '@wallet-guard/config';
import {
  flagDetail,
  flagPage,
  isoDateTime,
  microsecondCeiling,
  riskProfile,
  transactionBatchResult,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { createEmbeddedDatabase, testInfrastructure, waitFor } from '@wallet-guard/testing';
import { createMonitorServer } from '@wallet-guard/transaction-monitor/server';
import { INTERNAL_KEY, startMonitor, WALLET_KEY } from '@wallet-guard/transaction-monitor/testing';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const INT64_MAX = '9223372036854775807';

interface Monitor {
  server: FastifyInstance;
  db: { db: Kysely<Database> };
  close(): Promise<void>;
}

/** The quick-start mode (`npm start` without a Postgres URL): PGlite and in-process delivery. */
async function startEmbedded(): Promise<Monitor> {
  const database = await createEmbeddedDatabase();
  const config = parseConfig(monitorConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: ':memory:',
    OUTBOX_POLL_INTERVAL_MS: '25',
  });
  const infra = await testInfrastructure(config, database);
  const server = await createMonitorServer(config, infra);
  await infra.bus.start();
  return {
    server,
    db: database,
    close: async () => {
      await server.close();
      await infra.close();
      await database.close();
    },
  };
}

const MODES: [string, () => Promise<Monitor>][] = [
  ['real Postgres', () => startMonitor()],
  ['embedded PGlite', startEmbedded],
];

let monitor: Monitor;

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
  monitor.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

/** Submits, expects every item accepted, and waits until all are applied (or one is dead-lettered). */
async function applyAll(transactions: Record<string, unknown>[]) {
  const res = await inject('POST', '/v1/transactions', WALLET_KEY, { transactions });
  expect([res.statusCode, res.body.slice(0, 500)]).toEqual([202, expect.any(String)]);
  const answer = transactionBatchResult.parse(res.json());
  expect(answer.results.filter((r) => r.status !== 'accepted')).toEqual([]);
  const ids = transactions.map((t) => t.transactionId as string);
  const db = monitor.db.db;
  await waitFor(
    async () => {
      const applied = await db
        .selectFrom('monitor_transactions')
        .select('transaction_id')
        .where('transaction_id', 'in', ids)
        .execute();
      const dead = await db.selectFrom('dead_letters').select('id').execute();
      return applied.length === ids.length || dead.length > 0;
    },
    { what: 'every accepted transaction applied', timeoutMs: 60_000 },
  );
  expect(await db.selectFrom('dead_letters').select(['error_code', 'error_message']).execute()).toEqual([]);
}

const tx = (accountId: string, fields: Record<string, unknown>) => ({
  transactionId: `tx-${randomUUID()}`,
  accountId,
  type: 'withdrawal',
  amountMinor: '5000',
  currency: 'EUR',
  occurredAt: '2026-11-20T12:00:00.000Z',
  ...fields,
});

describe.each(MODES)('%s', (_mode, start) => {
  beforeAll(async () => {
    monitor = await start();
  });
  afterAll(async () => {
    await monitor?.close();
  });

  describe('amounts at the 64-bit maximum in the window rules', () => {
    it('sums int64-max withdrawals past 2^63 exactly, applies them all, and every answer fits its schema', async () => {
      const account = randomUUID();
      const base = Date.parse('2026-11-20T12:00:00.000Z');
      const transactions = Array.from({ length: 6 }, (_, i) =>
        tx(account, {
          amountMinor: INT64_MAX,
          balanceAfterMinor: i % 2 ? INT64_MAX : '-9223372036854775808',
          counterparty: { id: 'same-new-payee', kind: 'crypto_address' },
          occurredAt: new Date(base + i * 1000).toISOString(),
        }),
      );
      await applyAll(transactions);
      const page = flagPage.parse(
        (await inject('GET', `/v1/flags?accountId=${account}&limit=200`, INTERNAL_KEY)).json(),
      );
      expect(page.items.length).toBe(6);
      const last = page.items.find((f) => f.transactionId === transactions[5]?.transactionId);
      // 6 x (2^63 - 1) = 55340232221128654842 minor units
      expect(last?.reasons.find((r) => r.rule === 'velocity')?.detail).toContain('553,402,322,211,286,548.42 EUR');
      for (const flag of page.items) {
        expect(flagDetail.safeParse((await inject('GET', `/v1/flags/${flag.id}`, INTERNAL_KEY)).json()).success).toBe(
          true,
        );
      }
      const risk = riskProfile.parse((await inject('GET', `/v1/accounts/${account}/risk`, INTERNAL_KEY)).json());
      expect(risk.amountStatistics).toEqual([
        { currency: 'EUR', sampleSize: expect.any(Number), medianMinor: INT64_MAX, madMinor: '0' },
      ]);
    });
  });

  describe('coordinates at the edges', () => {
    it.each([
      [-0, -0],
      [90, 180],
      [-90, -180],
      [5e-324, -5e-324],
      [89.99999999999999, 179.99999999999997],
    ])('keeps lat %s lon %s exactly in the risk profile', async (lat, lon) => {
      const account = randomUUID();
      await applyAll([tx(account, { context: { lat, lon } })]);
      const res = await inject('GET', `/v1/accounts/${account}/risk`, INTERNAL_KEY);
      const risk = riskProfile.parse(res.json());
      expect(risk.lastLocation).toMatchObject({ lat: lat === 0 ? 0 : lat, lon: lon === 0 ? 0 : lon });
    });
  });

  describe('instants at both ends of the range', () => {
    it('applies transactions at 1970 and at the last millisecond of 9999, and answers fit their schemas', async () => {
      const account = randomUUID();
      await applyAll([
        tx(account, { occurredAt: '1970-01-01T00:00:00.000Z', context: { lat: 0, lon: 0 } }),
        tx(account, {
          occurredAt: '9999-12-31T23:59:59.9999999Z',
          amountMinor: INT64_MAX,
          context: { lat: 45, lon: 90 },
        }),
        tx(account, {
          occurredAt: '9999-12-31T23:59:59.999-00:00',
          amountMinor: INT64_MAX,
          context: { lat: -45, lon: -90 },
        }),
      ]);
      const risk = riskProfile.parse((await inject('GET', `/v1/accounts/${account}/risk`, INTERNAL_KEY)).json());
      expect(risk.lastActivityAt).toBe('9999-12-31T23:59:59.999Z');
      expect(risk.firstSeenAt).toBe('1970-01-01T00:00:00.000Z');
      const page = flagPage.parse((await inject('GET', `/v1/flags?accountId=${account}`, INTERNAL_KEY)).json());
      expect(page.items.length).toBeGreaterThan(0);
    });
  });

  describe('GET /v1/flags since, finer than a millisecond', () => {
    it('returns exactly the flags created at or after since, to the microsecond and below', async () => {
      const account = randomUUID();
      const ids = Array.from({ length: 3 }, () => randomUUID());
      const created = ['2031-05-05T10:00:00.000300Z', '2031-05-05T10:00:00.000500Z', '2031-05-05T10:00:00.000501Z'];
      for (const [i, id] of ids.entries()) {
        await sql`
          insert into monitor_flags (id, transaction_id, account_id, transaction_type, amount_minor, currency, score,
            decision, shadow_score, shadow_decision, reasons, rules_version, occurred_at, created_at)
          values (${id}, ${`tx-${id}`}, ${account}, 'payment', 1, 'EUR', 50, 'review', 50, 'review', '[]'::jsonb, 'v',
            now(), ${created[i]}::timestamptz)`.execute(monitor.db.db);
      }
      const since = async (value: string) => {
        const res = await inject(
          'GET',
          `/v1/flags?accountId=${account}&since=${encodeURIComponent(value)}`,
          INTERNAL_KEY,
        );
        expect(res.statusCode).toBe(200);
        return flagPage
          .parse(res.json())
          .items.map((f) => f.id)
          .sort();
      };
      expect(await since('2031-05-05T10:00:00.000500Z')).toEqual([ids[1], ids[2]].sort());
      expect(await since('2031-05-05T10:00:00.0005001Z')).toEqual([ids[2]].sort());
      expect(await since('2031-05-05T10:00:00.0004999Z')).toEqual([ids[1], ids[2]].sort());
      expect(await since('2031-05-05T11:00:00.0005+01:00')).toEqual([ids[1], ids[2]].sort());
      expect(await since('2031-05-05T10:00:00.000300000Z')).toEqual(ids.slice().sort());
      expect(await since('2031-05-05T10:00:00.000300001Z')).toEqual([ids[1], ids[2]].sort());
      expect(await since('2031-05-05T10:00:00.000500999Z')).toEqual([ids[2]].sort());
      // Past the last microsecond Postgres can be given as text: nothing, rather than a 5xx.
      expect(await since('9999-12-31T23:59:59.9999991Z')).toEqual([]);
      expect(await since('9999-12-31T23:59:59.999999Z')).toEqual([]);
      expect(await since('1970-01-01T00:00:00Z')).toEqual(ids.slice().sort());
    });
  });

  describe('instants finer than nanoseconds', () => {
    // V8's Date.parse reads a fraction of ten digits or more wrongly: .0003000001 as .003.
    const tooFine = '2026-11-20T12:00:00.0003000001Z';

    it('are refused naming the field: in the ingest answer, by POST /v1/score and by GET /v1/flags', async () => {
      const account = randomUUID();
      const res = await inject('POST', '/v1/transactions', WALLET_KEY, {
        transactions: [tx(account, { occurredAt: tooFine })],
      });
      const [item] = transactionBatchResult.parse(res.json()).results;
      expect([item?.status, item?.error?.message]).toEqual([
        'rejected',
        expect.stringMatching(/^occurredAt: .*at most 9 fractional digits/),
      ]);
      const score = await inject('POST', '/v1/score', WALLET_KEY, tx(account, { occurredAt: tooFine }));
      expect([score.statusCode, JSON.stringify(score.json().error.details)]).toEqual([
        400,
        expect.stringContaining('occurredAt'),
      ]);
      const flags = await inject('GET', `/v1/flags?since=${tooFine}`, INTERNAL_KEY);
      expect([flags.statusCode, JSON.stringify(flags.json().error.details)]).toEqual([
        400,
        expect.stringContaining('since'),
      ]);
    });

    it('every instant isoDateTime accepts is one Date.parse reads to its own millisecond', () => {
      const fraction = fc
        .array(fc.constantFrom('0', '0', '0', '1', '3', '5', '9'), { minLength: 1, maxLength: 14 })
        .map((d) => d.join(''));
      fc.assert(
        fc.property(fraction, fc.constantFrom('Z', '+01:30', '-09:00'), (digits, zone) => {
          const text = `2026-11-20T12:00:00.${digits}${zone}`;
          if (!isoDateTime.safeParse(text).success) return;
          // The millisecond the text names: its first three fractional digits, the rest cut.
          const exact = Date.parse(`2026-11-20T12:00:00.${digits.slice(0, 3).padEnd(3, '0')}${zone}`);
          expect([text, Date.parse(text)]).toEqual([text, exact]);
        }),
        { numRuns: 2_000 },
      );
    });

    it('keeps a nanosecond occurredAt at its own millisecond on the flag, and words HUF in hundredths', async () => {
      const account = randomUUID();
      // Drains the account: always a flag, whose occurredAt is the transaction's, cut to the millisecond.
      const drain = tx(account, {
        occurredAt: '2026-11-20T12:00:00.000999999Z',
        amountMinor: '100000',
        currency: 'HUF',
        balanceAfterMinor: '0',
      });
      await applyAll([drain]);
      const page = flagPage.parse((await inject('GET', `/v1/flags?accountId=${account}`, INTERNAL_KEY)).json());
      expect(page.items.map((f) => f.occurredAt)).toEqual(['2026-11-20T12:00:00.000Z']);
      // HUF minor units are hundredths (ISO 4217), though CLDR shows forints without decimals.
      expect(page.items[0]?.reasons.find((r) => r.rule === 'balance_drain')?.detail).toBe(
        'Leaves 0.00 HUF of 1,000.00 HUF (0%)',
      );
    });
  });
});

describe('microsecondCeiling', () => {
  it('is the earliest microsecond at or after the instant, in UTC, and infinity past 9999', () => {
    expect(microsecondCeiling('2031-05-05T10:00:00Z')).toBe('2031-05-05T10:00:00.000000Z');
    expect(microsecondCeiling('2031-05-05T10:00:00.5Z')).toBe('2031-05-05T10:00:00.500000Z');
    expect(microsecondCeiling('2031-05-05T10:00:00.123456Z')).toBe('2031-05-05T10:00:00.123456Z');
    expect(microsecondCeiling('2031-05-05T10:00:00.1234560Z')).toBe('2031-05-05T10:00:00.123456Z');
    expect(microsecondCeiling('2031-05-05T10:00:00.1234561Z')).toBe('2031-05-05T10:00:00.123457Z');
    expect(microsecondCeiling('2031-05-05T10:00:00.9999991Z')).toBe('2031-05-05T10:00:01.000000Z');
    expect(microsecondCeiling('2031-05-05T11:00:00.000999999+01:00')).toBe('2031-05-05T10:00:00.001000Z');
    expect(microsecondCeiling('9999-12-31T23:59:59.999999Z')).toBe('9999-12-31T23:59:59.999999Z');
    expect(microsecondCeiling('9999-12-31T23:59:59.9999991Z')).toBe('infinity');
  });
});
