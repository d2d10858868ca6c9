import { randomUUID } from 'node:crypto';
import {
  type ListAuditPage,
  type ListEntriesPage,
  type ListEntry,
  type MonitorFlag,
  TOPICS,
  type WalletTransaction,
} from '@wallet-guard/contracts';
import { type TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, HOUR, MINUTE, walletTx } from '../testing/fixtures';
import {
  asRecord,
  flagOf,
  INTERNAL_KEY,
  type RunningMonitor,
  startMonitor,
  testTopics,
  transactionEvent,
  WALLET_KEY,
} from '../testing/harness';
import { readListsAtVersion } from './lists-repo';

// The lists API on its database, and the pipeline reading the lists through Kafka.
let kafka: TestKafka;
let monitor: RunningMonitor;

beforeAll(async () => {
  kafka = await testTopics();
  monitor = await startMonitor({ kafka });
});

afterAll(async () => {
  await monitor.close();
  await kafka.cleanup();
});

const db = () => monitor.db.db;
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = INTERNAL_KEY) =>
  monitor.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function add(body: Record<string, unknown>): Promise<ListEntry> {
  const res = await inject('POST', '/v1/lists/entries', { reason: 'test', author: 'supervisor-1', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const listsVersion = async () =>
  Number((await db().selectFrom('monitor_lists_version').select('version').executeTakeFirstOrThrow()).version);

/** Produces the transactions to Kafka and waits for each one's flag (or its absence: `clean`). */
async function scored(txs: WalletTransaction[], clean: WalletTransaction[] = []) {
  await kafka.produce(
    TOPICS.walletTransactions,
    [...txs, ...clean].map((tx) => asRecord(transactionEvent(tx))),
  );
  const claimed = async () =>
    (
      await db()
        .selectFrom('monitor_transactions')
        .select('transaction_id')
        .where(
          'transaction_id',
          'in',
          [...txs, ...clean].map((t) => t.transactionId),
        )
        .execute()
    ).length ===
    txs.length + clean.length;
  await waitFor(claimed, { what: 'transactions applied' });
  return Promise.all(txs.map((t) => flagOf(db(), t.transactionId)));
}

const now = Date.now();
const payment = (fields: Partial<WalletTransaction>) =>
  walletTx({ accountId: randomUUID(), type: 'payment', amountMinor: '2500', occurredAt: at(now), ...fields });

describe('lists API', () => {
  it('refuses callers without the internal scope', async () => {
    for (const [method, url, body] of [
      ['GET', '/v1/lists/entries', undefined],
      ['POST', '/v1/lists/entries', { kind: 'device', value: 'x', action: 'block', reason: 'r', author: 'a' }],
      ['GET', '/v1/lists/audit', undefined],
    ] as const) {
      const none = await monitor.server.inject({ method, url, ...(body ? { payload: body } : {}) });
      expect([none.statusCode, none.json().error.code]).toEqual([401, 'TXM_UNAUTHENTICATED']);
      const wallet = await inject(method, url, body, WALLET_KEY);
      expect([wallet.statusCode, wallet.json().error.code]).toEqual([403, 'TXM_FORBIDDEN']);
    }
  });

  it('canonicalises values and refuses bad CIDRs, countries, counterparties, past expiries and duplicates', async () => {
    const prefix = await add({ kind: 'ip', value: '2001:0DB8:0:0::/32', action: 'review' });
    expect(prefix.value).toBe('2001:db8::/32');
    expect((await add({ kind: 'ip', value: '::ffff:198.51.100.0/120', action: 'block' })).value).toBe(
      '198.51.100.0/24',
    );
    expect((await add({ kind: 'country', value: 'by', action: 'review' })).value).toBe('BY');

    for (const [body, code, reason] of [
      [{ kind: 'ip', value: '10.0.0.1/8' }, 'TXM_LIST_INVALID_VALUE', 'cidr'],
      [{ kind: 'ip', value: '300.1.1.1' }, 'TXM_LIST_INVALID_VALUE', 'cidr'],
      [{ kind: 'ip', value: '2001:db8::/129' }, 'TXM_LIST_INVALID_VALUE', 'cidr'],
      [{ kind: 'country', value: 'ZZ' }, 'TXM_LIST_INVALID_VALUE', 'country'],
      [{ kind: 'country', value: 'QQ' }, 'TXM_LIST_INVALID_VALUE', 'country'],
      [{ kind: 'counterparty', value: 'iban:DE00' }, 'TXM_LIST_INVALID_VALUE', 'counterparty'],
      [{ kind: 'device', value: 'd', expiresAt: at(now - MINUTE) }, 'TXM_LIST_EXPIRY_IN_PAST', undefined],
      [{ kind: 'device', value: 'd', action: 'deny' }, 'TXM_VALIDATION_FAILED', undefined],
    ] as const) {
      const res = await inject('POST', '/v1/lists/entries', { action: 'block', reason: 'r', author: 'a', ...body });
      expect([res.statusCode, res.json().error.code], JSON.stringify(body)).toEqual([400, code]);
      if (reason) expect(res.json().error.details[0].reason).toBe(reason);
    }

    const duplicate = await inject('POST', '/v1/lists/entries', {
      kind: 'ip',
      value: '2001:db8:0::/32',
      action: 'block',
      reason: 'again',
      author: 'a',
    });
    expect([duplicate.statusCode, duplicate.json().error.code]).toEqual([409, 'TXM_LIST_ENTRY_EXISTS']);
    expect(duplicate.json().error.details[0].entryId).toBe(prefix.id);
  });

  it('changes and removes (soft), 404 for unknown entries, 409 for removed ones, all audited with before and after', async () => {
    const entry = await add({ kind: 'device', value: `emulator-${randomUUID()}`, action: 'review' });
    const expiresAt = at(now + 2 * HOUR);
    const changed = await inject('PATCH', `/v1/lists/entries/${entry.id}`, {
      action: 'block',
      expiresAt,
      author: 'supervisor-2',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      action: 'block',
      expiresAt,
      updatedBy: 'supervisor-2',
      author: 'supervisor-1',
    });
    expect(changed.json().version).toBeGreaterThan(entry.version);

    const removed = await inject('POST', `/v1/lists/entries/${entry.id}/remove`, {
      author: 'supervisor-3',
      reason: 'emulator farm taken down',
    });
    expect(removed.json()).toMatchObject({ removedBy: 'supervisor-3' });
    expect(removed.json().removedAt).not.toBeNull();
    // Soft: still readable, left out of the default listing, shown with includeRemoved.
    expect((await inject('GET', `/v1/lists/entries/${entry.id}`)).json().removedBy).toBe('supervisor-3');
    const live: ListEntriesPage = (await inject('GET', '/v1/lists/entries?kind=device&limit=200')).json();
    expect(live.items.map((e) => e.id)).not.toContain(entry.id);
    const all: ListEntriesPage = (await inject('GET', '/v1/lists/entries?kind=device&includeRemoved=true')).json();
    expect(all.items.map((e) => e.id)).toContain(entry.id);

    for (const [method, url, body] of [
      ['PATCH', `/v1/lists/entries/${entry.id}`, { reason: 'x', author: 'a' }],
      ['POST', `/v1/lists/entries/${entry.id}/remove`, { author: 'a' }],
    ] as const) {
      const res = await inject(method, url, body);
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'TXM_LIST_ENTRY_REMOVED']);
    }
    const unknown = randomUUID();
    for (const [method, url, body] of [
      ['GET', `/v1/lists/entries/${unknown}`, undefined],
      ['PATCH', `/v1/lists/entries/${unknown}`, { reason: 'x', author: 'a' }],
      ['POST', `/v1/lists/entries/${unknown}/remove`, { author: 'a' }],
    ] as const) {
      const res = await inject(method, url, body);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'TXM_LIST_ENTRY_NOT_FOUND']);
    }
    const pastExpiry = await inject('PATCH', `/v1/lists/entries/${randomUUID()}`, {
      expiresAt: at(now - HOUR),
      author: 'a',
    });
    expect(pastExpiry.json().error.code).toBe('TXM_LIST_EXPIRY_IN_PAST');

    const trail: ListAuditPage = (await inject('GET', `/v1/lists/audit?entryId=${entry.id}`)).json();
    expect(trail.items.map((r) => [r.operation, r.actor, r.note])).toEqual([
      ['removed', 'supervisor-3', 'emulator farm taken down'],
      ['changed', 'supervisor-2', null],
      ['added', 'supervisor-1', null],
    ]);
    const [removal, change, addition] = trail.items as [
      ListAuditPage['items'][0],
      ListAuditPage['items'][0],
      ListAuditPage['items'][0],
    ];
    expect(addition.before).toBeNull();
    expect(addition.after).toEqual(entry);
    expect(change.before).toEqual(entry);
    expect(change.after).toEqual(changed.json());
    expect(removal.before).toEqual(changed.json());
    expect(removal.after).toEqual(removed.json());
    expect(trail.items.map((r) => r.version)).toEqual([removed.json().version, changed.json().version, entry.version]);
  });

  it('keeps the audit trail append-only', async () => {
    await expect(sql`delete from monitor_list_audit`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update monitor_list_audit set actor = 'someone else'`.execute(db())).rejects.toThrow(
      /append-only/,
    );
  });

  it('gives concurrent changes distinct, increasing versions, and one winner among racing duplicates', async () => {
    const before = await listsVersion();
    const values = Array.from({ length: 12 }, () => `race-${randomUUID()}`);
    const added = await Promise.all(values.map((value) => add({ kind: 'device', value, action: 'review' })));
    const versions = added.map((e) => e.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));

    const contested = `contested-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        inject('POST', '/v1/lists/entries', {
          kind: 'device',
          value: contested,
          action: 'block',
          reason: 'r',
          author: 'a',
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    // Refused adds leave no version behind: the counter moved once per change that happened.
    expect(await listsVersion()).toBe(before + 13);
    const trail: ListAuditPage = (await inject('GET', '/v1/lists/audit?limit=13')).json();
    expect(trail.items.map((r) => r.version)).toEqual(Array.from({ length: 13 }, (_, i) => before + 13 - i));
  });

  it('rebuilds the entries in force at any past version from the audit trail', async () => {
    const value = `replayed-${randomUUID()}`;
    const first = await add({ kind: 'device', value, action: 'review' });
    const changed: ListEntry = (
      await inject('PATCH', `/v1/lists/entries/${first.id}`, { action: 'block', author: 'supervisor-2' })
    ).json();
    const other = await add({ kind: 'device', value: `${value}-other`, action: 'allow' });
    const removed: ListEntry = (await inject('POST', `/v1/lists/entries/${first.id}/remove`, { author: 'a' })).json();
    const at = async (version: number) =>
      (await readListsAtVersion(db(), version))
        .filter((e) => e.value.startsWith(value))
        .map((e) => `${e.value}:${e.action}`)
        .sort();
    expect(await at(first.version - 1)).toEqual([]);
    expect(await at(first.version)).toEqual([`${value}:review`]);
    expect(await at(changed.version)).toEqual([`${value}:block`]);
    expect(await at(other.version)).toEqual([`${value}-other:allow`, `${value}:block`]);
    expect(await at(removed.version)).toEqual([`${value}-other:allow`]);
  });

  it('pages entries and the audit trail with cursors, refusing forged ones', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: ListEntriesPage = (
        await inject('GET', `/v1/lists/entries?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((e) => e.id));
      expect(page.listsVersion).toBe(await listsVersion());
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const { count } = await db()
      .selectFrom('monitor_list_entries')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(seen.length).toBe(Number(count));
    for (const url of ['/v1/lists/entries?cursor=bm9wZQ', '/v1/lists/audit?cursor=WyJ4Il0']) {
      expect((await inject('GET', url)).json().error.code).toBe('TXM_INVALID_CURSOR');
    }
  });
});

describe('the rules read the lists', () => {
  it('hits listed_destination for each kind: block strongly, review medium; allow lowers; the flag records the version', async () => {
    const id = randomUUID().slice(0, 8);
    const blocked = {
      counterparty: await add({ kind: 'counterparty', value: `crypto_address:bc1-block-${id}`, action: 'block' }),
      device: await add({ kind: 'device', value: `dev-block-${id}`, action: 'block' }),
      ip: await add({ kind: 'ip', value: '203.0.113.0/24', action: 'block' }),
      country: await add({ kind: 'country', value: 'KP', action: 'block' }),
    };
    const reviewed = {
      counterparty: await add({ kind: 'counterparty', value: `wallet:w-review-${id}`, action: 'review' }),
      device: await add({ kind: 'device', value: `dev-review-${id}`, action: 'review' }),
      ip: await add({ kind: 'ip', value: '2001:db8:42::/48', action: 'review' }),
      country: await add({ kind: 'country', value: 'IR', action: 'review' }),
    };
    await add({ kind: 'counterparty', value: `bank_account:DE-landlord-${id}`, action: 'allow' });
    const version = await listsVersion();

    const block = [
      payment({ counterparty: { id: `bc1-block-${id}`, kind: 'crypto_address' } }),
      payment({ context: { deviceId: `dev-block-${id}` } }),
      payment({ context: { ip: '203.0.113.77' } }),
      payment({ context: { country: 'KP' } }),
    ];
    const review = [
      payment({ counterparty: { id: `w-review-${id}`, kind: 'wallet' } }),
      payment({ context: { deviceId: `dev-review-${id}` } }),
      payment({ context: { ip: '2001:db8:42:1::5' } }),
      payment({ context: { country: 'IR' } }),
    ];
    // A first large transfer (new counterparty, half the balance): review; allow-listed, lowered.
    const large = (counterparty: string) =>
      payment({
        type: 'transfer_out',
        amountMinor: '150000',
        balanceAfterMinor: '10000',
        counterparty: { id: counterparty, kind: 'bank_account' },
      });
    const [unlisted, allowed] = [large(`DE-new-${id}`), large(`DE-landlord-${id}`)];
    // Incoming money from a listed payee and an unlisted payment leave no listed hit.
    const incoming = payment({ type: 'transfer_in', counterparty: { id: `bc1-block-${id}`, kind: 'crypto_address' } });
    const flags = await scored([...block, ...review, unlisted, allowed], [incoming, payment({})]);

    const weight = 80;
    for (const [i, flag] of flags.slice(0, 4).entries()) {
      expect(flag?.reasons.find((r) => r.rule === 'listed_destination')?.points, `block ${i}`).toBe(weight);
      expect(flag?.decision).toBe('suspected_theft');
      expect(flag?.lists_version).toBe(String(version));
    }
    for (const [i, flag] of flags.slice(4, 8).entries()) {
      expect(flag?.reasons.find((r) => r.rule === 'listed_destination')?.points, `review ${i}`).toBe(weight / 2);
      expect(flag?.decision).toBe('review');
    }
    expect(flags[0]?.reasons[0]?.detail).toContain(blocked.counterparty.value);
    expect(flags[5]?.reasons.find((r) => r.rule === 'listed_destination')?.detail).toContain(reviewed.device.value);
    const [plain, lowered] = [flags[8], flags[9]];
    expect(plain?.decision).toBe('review');
    expect(lowered?.reasons.at(-1)?.rule).toBe('allow_listed');
    expect(lowered?.score).toBe(Math.max(0, (plain?.score ?? 0) - 30));
    expect(lowered?.decision).toBe('allow');
    expect(await flagOf(db(), incoming.transactionId)).toBeUndefined();

    // The flag view shows the version and the payee (what an agent may block).
    const view: MonitorFlag = (await inject('GET', `/v1/flags/${flags[0]?.id}`)).json();
    expect(view.listsVersion).toBe(version);
    expect(view.counterparty).toEqual({ kind: 'crypto_address', id: `bc1-block-${id}` });
    expect(blocked.ip.value).toBe('203.0.113.0/24');
    expect(reviewed.ip.value).toBe('2001:db8:42::/48');
  });

  it('picks up a change on the next batch (new version on the flag) and honours expiry on the transaction time', async () => {
    const device = `dev-expiring-${randomUUID()}`;
    const entry = await add({ kind: 'device', value: device, action: 'block', expiresAt: at(now + HOUR) });
    const [before, after] = await scored([
      payment({ context: { deviceId: device }, occurredAt: at(now + 30 * MINUTE) }),
      // Same device after the expiry: the entry no longer applies, nothing else fires.
      payment({ context: { deviceId: device }, occurredAt: at(now + HOUR + MINUTE) }),
    ]);
    expect(before?.reasons.map((r) => r.rule)).toEqual(['listed_destination']);
    expect(after).toBeUndefined();

    const res = await inject('PATCH', `/v1/lists/entries/${entry.id}`, { action: 'review', author: 'supervisor-1' });
    const changed: ListEntry = res.json();
    const [again] = await scored([payment({ context: { deviceId: device }, occurredAt: at(now + 30 * MINUTE) })]);
    expect(again?.reasons.find((r) => r.rule === 'listed_destination')?.points).toBe(40);
    expect(again?.lists_version).toBe(String(changed.version));
    expect(before?.lists_version).not.toBe(again?.lists_version);
  });

  it('scores proposals (POST /v1/score) with the same lists', async () => {
    const country = 'SY';
    await add({ kind: 'country', value: country, action: 'block' });
    const res = await monitor.server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: WALLET_KEY,
      payload: payment({ context: { country } }),
    });
    expect(res.json()).toMatchObject({ decision: 'suspected_theft' });
    expect(res.json().reasons.map((r: { rule: string }) => r.rule)).toEqual(['listed_destination']);
  });
});
