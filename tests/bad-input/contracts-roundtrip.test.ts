// Kind 1 of the reliability work: a value a contract accepts that storage or arithmetic cannot
// hold. Everything a zod contract accepts must be storable and computable exactly, end to end;
// what is not, the contract refuses with a 4xx naming the field. These tests generate from the
// contracts themselves (every exported zod schema, walked as JSON Schema), so a new field of an
// old kind is covered the day it is added:
// - instants: every one is the bounded `isoDateTime`, and every instant it accepts round-trips
//   through Postgres timestamptz by each path the services use (text, a driver Date, jsonb);
// - amounts: every `*Minor` field is a decimal string, and every one accepted round-trips through
//   bigint; statistics over them are exact (median and MAD against Postgres' own);
// - ids that end up in a uuid column (here or in another service) are uuids in every contract;
// - end to end: transactions generated from the contract are scored (200, response schema
//   holds) and ingested (accepted ones are all applied, none dead-lettered), and everything read
//   back (flags page by page, risk profiles) fits its response schema.
import { randomUUID } from 'node:crypto';
import * as contracts from '@wallet-guard/contracts';
import {
  accountFrozen,
  accountId as accountIdSchema,
  amountMinor,
  flagDetail,
  flagPage,
  INSTANT_RANGE,
  internalFreezeBody,
  isoDateTime,
  riskProfile,
  scoreResult,
  securityEventsQuery,
  signedAmountMinor,
  transactionBatchResult,
  walletTransaction,
} from '@wallet-guard/contracts';
import { type DatabaseHandle, openDatabase } from '@wallet-guard/db';
import { waitFor } from '@wallet-guard/testing';
import { INTERNAL_KEY, type RunningMonitor, startMonitor, WALLET_KEY } from '@wallet-guard/transaction-monitor/testing';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../security/documented-routes';
import { instantOutside, instantWithin, validFor } from './schema-arbitraries';

type Node = JsonSchema & { formatMinimum?: string; formatMaximum?: string; prefixItems?: Node[] };

/** Every zod schema the contracts package exports, as JSON Schema (input side), by export name. */
const exported = Object.entries(contracts)
  .filter(([, v]) => typeof v === 'object' && v !== null && '_zod' in v && 'toJSONSchema' in v)
  .map(([name, schema]) => [
    name,
    (schema as { toJSONSchema(o: object): Node }).toJSONSchema({ io: 'input', unrepresentable: 'any' }),
  ]) as [string, Node][];

/**
 * Answers a service writes itself from its own rows (support-cases' case views, the monitor's
 * feedback records): never an input, so they may be wider than the inputs.
 */
const ANSWER_ONLY = new Set([
  'caseView',
  'caseDetailView',
  'casePage',
  'customerCaseView',
  'timelineEntryView',
  'caseMergeView',
  'networkCaseView',
  'networkAccountView',
  'deskReport',
  'agentView',
  'flagFeedback',
  'flagDetail',
]);
const inputs = exported.filter(([name]) => !ANSWER_ONLY.has(name));

/** Every sub-schema with the JSON pointer-ish path and the property name it sits under. */
function* walk(node: Node, path: string, name = ''): Generator<{ path: string; name: string; node: Node }> {
  yield { path, name, node };
  for (const [key, child] of Object.entries(node.properties ?? {})) yield* walk(child, `${path}/${key}`, key);
  if (node.items) yield* walk(node.items as Node, `${path}/[]`, name);
  for (const [i, child] of (node.prefixItems ?? []).entries()) yield* walk(child, `${path}/${i}`, name);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    yield* walk(branch as Node, path, name);
  }
  if (typeof node.additionalProperties === 'object') yield* walk(node.additionalProperties as Node, `${path}/*`, name);
}

const everywhere = (pick: (n: { name: string; node: Node }) => boolean) =>
  inputs.flatMap(([schema, root]) => [...walk(root, schema)].filter(pick));

let monitor: RunningMonitor;
let embedded: DatabaseHandle;
beforeAll(async () => {
  monitor = await startMonitor();
  embedded = await openDatabase({ dataDir: ':memory:' });
});
afterAll(async () => {
  await embedded?.close();
  await monitor?.close();
});

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  monitor.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('instants', () => {
  it('every instant a contract takes in is the bounded isoDateTime', () => {
    const instants = everywhere(({ node }) => node.format === 'date-time');
    expect(instants.length).toBeGreaterThan(20);
    const unbounded = instants
      .filter(({ node }) => node.formatMinimum !== INSTANT_RANGE.min || node.formatMaximum !== INSTANT_RANGE.max)
      .map(({ path }) => path);
    expect(unbounded).toEqual([]);
  });

  it('every instant isoDateTime accepts round-trips through timestamptz as text, as a Date and in jsonb', async () => {
    const bounds = { formatMinimum: INSTANT_RANGE.min, formatMaximum: INSTANT_RANGE.max };
    // Beyond the contract too: the whole JS Date range, written the way toISOString writes it.
    const anyDate = fc
      .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
      .map((d) => d.toISOString());
    const candidates = fc.oneof(instantWithin(bounds), instantOutside(bounds), anyDate);
    let accepted = 0;
    // The driver writes a Date in the process's zone: also one whose offset had seconds (until 1972).
    // Both stores the services run on: Postgres, and the embedded one of `npm start` (PGlite).
    const zone = process.env.TZ;
    for (const db of [monitor.db.db, embedded.db] as Kysely<unknown>[]) {
      for (const tz of ['UTC', 'Africa/Monrovia']) {
        process.env.TZ = tz;
        try {
          await roundTrips(db);
        } finally {
          if (zone === undefined) delete process.env.TZ;
          else process.env.TZ = zone;
        }
      }
    }
    expect(accepted).toBeGreaterThan(200);

    async function roundTrips(db: Kysely<unknown>) {
      await fc.assert(
        fc.asyncProperty(candidates, async (text) => {
          if (!isoDateTime.safeParse(text).success) return;
          accepted += 1;
          const ms = Date.parse(text);
          const { rows } = await sql<{ a: Date; b: Date; c: Date; reach: Date }>`
          select ${text}::timestamptz as a, ${new Date(ms)}::timestamptz as b,
                 (${JSON.stringify({ at: new Date(ms) })}::jsonb ->> 'at')::timestamptz as c,
                 ${new Date(ms - 86_400_000)}::timestamptz as reach`.execute(db);
          const row = rows[0] as { a: Date; b: Date; c: Date; reach: Date };
          // Postgres keeps microseconds, a Date milliseconds: the same instant to the millisecond.
          expect([row.a, row.b, row.c].map((d) => Math.abs(d.getTime() - ms) < 1)).toEqual([true, true, true]);
          expect(row.reach.getTime()).toBe(ms - 86_400_000);
        }),
        { numRuns: 300, examples: [['1970-01-01T00:00:00.000Z'], ['1971-06-30T12:34:56.789Z']] },
      );
    }
  });

  it("refuses a Go backend's unset time, naming the field, on every route and in the ingest answer", async () => {
    const tx = {
      transactionId: `tx-${randomUUID()}`,
      accountId: randomUUID(),
      type: 'payment',
      amountMinor: '5000',
      currency: 'EUR',
      occurredAt: '0001-01-01T00:00:00Z',
    };
    const score = await inject('POST', '/v1/score', WALLET_KEY, tx);
    expect([score.statusCode, score.json().error.code]).toEqual([400, 'TXM_VALIDATION_FAILED']);
    expect(JSON.stringify(score.json().error.details)).toContain('occurredAt');
    const ingest = await inject('POST', '/v1/transactions', WALLET_KEY, { transactions: [tx] });
    expect(ingest.statusCode).toBe(202);
    const [item] = transactionBatchResult.parse(ingest.json()).results;
    expect(item).toMatchObject({ status: 'rejected', error: { code: 'TXM_INVALID_TRANSACTION' } });
    expect(item?.error?.message).toContain('occurredAt');
    const since = await inject('GET', `/v1/flags?since=${encodeURIComponent('0000-01-01T00:00:00Z')}`, INTERNAL_KEY);
    expect([since.statusCode, since.json().error.code]).toEqual([400, 'TXM_VALIDATION_FAILED']);
  });
});

/** A stored profile (the monitor's jsonb document, every field present) whose EUR sample is `amounts`. */
const profileWith = (amounts: string[]) => ({
  v: 1,
  amounts: { EUR: amounts },
  devices: [],
  countries: [],
  lastLocation: null,
  lastActivityAt: null,
  recent: [],
});

describe('amounts', () => {
  it('every *Minor field of every contract is a decimal string of minor units', () => {
    const amounts = everywhere(({ name }) => name.endsWith('Minor'));
    expect(amounts.length).toBeGreaterThan(5);
    const bad = amounts
      .filter(({ node }) => !(node.type === 'string' && node.pattern?.includes('[0-9]{0,18}')))
      .map(({ path }) => path);
    expect(bad).toEqual([]);
  });

  it('every amount the contracts accept round-trips through bigint exactly', async () => {
    const text = fc.oneof(
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
      fc.constantFrom('9223372036854775807', '9223372036854775808', '-9223372036854775808', '9007199254740993'),
    );
    await fc.assert(
      fc.asyncProperty(text, async (v) => {
        if (!amountMinor.safeParse(v).success && !signedAmountMinor.safeParse(v).success) return;
        for (const db of [monitor.db.db, embedded.db] as Kysely<unknown>[]) {
          const { rows } = await sql<{ v: string }>`select (${v}::bigint)::text as v`.execute(db);
          expect(rows[0]?.v).toBe(v);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every security-events cursor (a bigint row id) the contract accepts is a bigint', async () => {
    const text = fc.oneof(
      fc.stringMatching(/^\d{1,19}$/),
      fc.constantFrom('9223372036854775807', '9223372036854775808', '9999999999999999999', '0000000000000000001'),
    );
    await fc.assert(
      fc.asyncProperty(text, async (before) => {
        if (!securityEventsQuery.safeParse({ before }).success) return;
        const { rows } = await sql<{ v: string }>`select (${before}::bigint)::text as v`.execute(monitor.db.db);
        expect(BigInt(rows[0]?.v ?? -1)).toBe(BigInt(before));
      }),
      { numRuns: 200, examples: [['9999999999999999999']] },
    );
  });

  it('median and MAD in the risk profile equal Postgres own, exactly, over the whole int64 range', async () => {
    const amount = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      fc.bigInt({ min: 2n ** 53n - 5n, max: 2n ** 53n + 5n }),
      fc.bigInt({ min: 0n, max: 10_000n }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(amount, { minLength: 1, maxLength: 50 }), async (sample) => {
        const id = randomUUID();
        const amounts = sample.map(String);
        await sql`insert into monitor_account_profiles (account_id, state)
                  values (${id}, ${JSON.stringify(profileWith(amounts))}::jsonb)`.execute(monitor.db.db);
        // percentile_disc(0.5) is the lower middle, like the monitor's median; numeric, never a float.
        const { rows } = await sql<{ median: string; mad: string }>`
          with s as (select a::numeric as a from jsonb_array_elements_text(${JSON.stringify(amounts)}::jsonb) as a),
               m as (select percentile_disc(0.5) within group (order by a) as median from s)
          select m.median::text as median,
                 (select percentile_disc(0.5) within group (order by abs(s.a - m.median)) from s)::text as mad
          from m`.execute(monitor.db.db);
        const res = await inject('GET', `/v1/accounts/${id}/risk`, INTERNAL_KEY);
        expect(res.statusCode).toBe(200);
        const [stats] = riskProfile.parse(res.json()).amountStatistics;
        expect({ median: stats?.medianMinor, mad: stats?.madMinor }).toEqual(rows[0]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('ids that end in a uuid column', () => {
  /** Properties that name a row of a uuid key, in this service or another one. */
  const UUID_IDS = new Set(['accountId', 'caseId', 'flagId', 'flagIds', 'eventId', 'sessionId', 'securityEventIds']);

  it('are uuids in every contract that takes them in', () => {
    const ids = everywhere(({ name, node }) => UUID_IDS.has(name) && node.type === 'string');
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter(({ node }) => node.format !== 'uuid').map(({ path }) => path)).toEqual([]);
  });

  it('every uuid a contract accepts is one Postgres accepts', async () => {
    const text = fc.oneof(
      fc.uuid(),
      fc.stringMatching(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
    );
    await fc.assert(
      fc.asyncProperty(text, async (v) => {
        if (!accountIdSchema.safeParse(v).success) return;
        const { rows } = await sql<{ v: string }>`select (${v}::uuid)::text as v`.execute(monitor.db.db);
        expect(rows[0]?.v).toBe(v.toLowerCase());
      }),
      { numRuns: 200 },
    );
  });

  it('a freeze refuses a caseId support-cases could not key, and a legacy event still opens its incident', () => {
    const refused = internalFreezeBody.safeParse({ actor: 'agent:grace', caseId: 'CASE-000123' });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual(['caseId']);
    const caseId = randomUUID();
    expect(internalFreezeBody.parse({ actor: 'agent:grace', caseId }).caseId).toBe(caseId);
    // Sent before auth required a uuid: read as "no case" instead of being dead-lettered.
    const legacy = {
      eventId: randomUUID(),
      type: 'account.frozen',
      version: 1,
      occurredAt: '2026-11-23T10:00:00.000Z',
      producer: 'auth',
      accountId: randomUUID(),
      payload: { by: 'agent', actor: 'agent:grace', caseId: 'CASE-000123' },
    };
    const parsed = accountFrozen.safeParse(legacy);
    expect(parsed.success && parsed.data.payload.caseId).toBeUndefined();
  });
});

describe('end to end: transactions generated from the contract', () => {
  const walletJson = walletTransaction.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const accounts = Array.from({ length: 4 }, () => randomUUID());
  // Text the HTTP layer refuses for the whole request (NUL, lone surrogates) is the fuzz suites'
  // business; here every item should reach the contract.
  const storableText = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v).replace(/\\u0000|\\ud[89a-f][0-9a-f]{2}/gi, 'x'));
  const transaction = fc
    .tuple(
      validFor(walletJson),
      fc.option(fc.constantFrom(...accounts), { nil: undefined, freq: 3 }),
      fc.constantFrom('EUR', 'JPY', 'BHD', 'USD'),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: instantOutside({ formatMinimum: INSTANT_RANGE.min, formatMaximum: INSTANT_RANGE.max }),
        },
      ),
      fc.constantFrom('withdrawal', 'payment', 'transfer_out', 'deposit'),
    )
    .map(([generated, account, currency, outside, type]) => {
      const tx = storableText(generated) as Record<string, unknown>;
      return {
        ...tx,
        transactionId: `tx-${randomUUID()}`,
        type,
        currency,
        ...(account ? { accountId: account } : {}),
        ...(outside ? { occurredAt: outside } : {}),
      };
    });

  it('scores every accepted one (200, scoreResult holds) and refuses the rest naming a field', async () => {
    await fc.assert(
      fc.asyncProperty(transaction, async (tx) => {
        const res = await inject('POST', '/v1/score', WALLET_KEY, tx);
        if (walletTransaction.safeParse(tx).success) {
          expect([res.statusCode, res.body.slice(0, 300)]).toEqual([200, expect.any(String)]);
          expect(scoreResult.safeParse(res.json()).success).toBe(true);
        } else {
          expect([res.statusCode, res.json().error.code]).toEqual([400, 'TXM_VALIDATION_FAILED']);
          expect(res.json().error.details.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('applies every accepted one (none dead-lettered), and every answer read back fits its schema', async () => {
    const accepted: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 6 }), async (batch) => {
        const res = await inject('POST', '/v1/transactions', WALLET_KEY, { transactions: batch });
        expect(res.statusCode).toBe(202);
        const { results } = transactionBatchResult.parse(res.json());
        results.forEach((r, i) => {
          expect([i, r.status]).toEqual([i, walletTransaction.safeParse(batch[i]).success ? 'accepted' : 'rejected']);
          if (r.status === 'accepted') accepted.push(r.transactionId as string);
        });
      }),
      { numRuns: 40 },
    );
    expect(accepted.length).toBeGreaterThan(20);
    const db = monitor.db.db;
    await waitFor(
      async () => {
        const applied = await db
          .selectFrom('monitor_transactions')
          .select('transaction_id')
          .where('transaction_id', 'in', accepted)
          .execute();
        const dead = await db.selectFrom('dead_letters').select('id').execute();
        return applied.length === accepted.length || dead.length > 0;
      },
      { what: 'every accepted transaction applied', timeoutMs: 60_000 },
    );
    const dead = await db.selectFrom('dead_letters').select(['error_code', 'error_message']).execute();
    expect(dead).toEqual([]);

    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await inject('GET', `/v1/flags?limit=7${cursor ? `&cursor=${cursor}` : ''}`, INTERNAL_KEY);
      expect(res.statusCode).toBe(200);
      const page = flagPage.parse(res.json());
      for (const flag of page.items.slice(0, 2)) {
        const detail = await inject('GET', `/v1/flags/${flag.id}`, INTERNAL_KEY);
        expect(flagDetail.safeParse(detail.json()).success).toBe(true);
      }
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(0);
    for (const account of accounts) {
      const res = await inject('GET', `/v1/accounts/${account}/risk`, INTERNAL_KEY);
      expect([res.statusCode, riskProfile.safeParse(res.json()).success]).toEqual([200, true]);
    }
  });

  it('keeps the median of five 9007199254740993 outgoing amounts exact', async () => {
    const account = randomUUID();
    const transactions = Array.from({ length: 5 }, (_, i) => ({
      transactionId: `tx-${randomUUID()}`,
      accountId: account,
      type: 'withdrawal',
      amountMinor: '9007199254740993',
      currency: 'EUR',
      occurredAt: new Date(Date.parse('2026-11-20T12:00:00Z') + i * 3_600_000).toISOString(),
    }));
    const res = await inject('POST', '/v1/transactions', WALLET_KEY, { transactions });
    expect(res.json().accepted).toBe(5);
    let stats: unknown;
    await waitFor(
      async () => {
        const risk = riskProfile.parse((await inject('GET', `/v1/accounts/${account}/risk`, INTERNAL_KEY)).json());
        stats = risk.amountStatistics[0];
        return risk.transactionCount === 5;
      },
      { what: 'the five transactions applied' },
    );
    expect(stats).toMatchObject({ medianMinor: '9007199254740993', madMinor: '0' });
  });
});
