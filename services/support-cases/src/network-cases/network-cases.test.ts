import { randomUUID } from 'node:crypto';
import {
  createEvent,
  type MuleDestinationAccount,
  type MuleDestinationDetected,
  type NetworkCaseView,
  TOPICS,
} from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../testing/fake-upstream';
import { type CasesHarness, startCases } from '../testing/harness';
import { applyAnnouncement } from './mule-intake';

let upstream: FakeUpstream;
let h: CasesHarness;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  h = await startCases({ kafka: true, env: { CASES_AUTH_URL: upstream.url, CASES_MONITOR_URL: upstream.url } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const account = (accountId: string, i: number): MuleDestinationAccount => ({
  accountId,
  firstPaidAt: new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString(),
  lastPaidAt: new Date(Date.UTC(2026, 10, 23, 9, i + 1)).toISOString(),
  payments: 1 + (i % 2),
  amounts: [{ amountMinor: String(10_000 * (i + 1)), currency: 'EUR' }],
  securityChangeAt: i % 2 === 0 ? new Date(Date.UTC(2026, 10, 23, 8, 50 + i)).toISOString() : null,
  flaggedAt: new Date(Date.UTC(2026, 10, 23, 9, i + 1)).toISOString(),
  decision: i % 2 === 0 ? 'suspected_theft' : 'review',
  maxScore: 60 + i,
  flagIds: [randomUUID()],
});

function announcement(destination: string, accountIds: string[], revision: number): MuleDestinationDetected {
  const accounts = accountIds.map(account);
  return createEvent(TOPICS.muleDestinations, {
    type: 'mule_destination.detected',
    version: 1,
    producer: 'transaction-monitor',
    accountId: accountIds[accountIds.length - 1] as string,
    payload: {
      incidentKey: `bank_account:${destination}`,
      destination: { kind: 'bank_account', id: destination },
      revision,
      incidentOpenedAt: '2026-11-23T09:03:00.000Z',
      window: { hours: 24, newPayers: accountIds.length, newPayersWithSigns: Math.ceil(accountIds.length / 2) },
      listedHours: 168,
      accounts,
      received: [
        { amountMinor: String(accounts.reduce((s, a) => s + Number(a.amounts[0]?.amountMinor), 0)), currency: 'EUR' },
      ],
      rulesVersion: 'test',
    },
  });
}

const casesOfType = () => h.db.db.selectFrom('cases').selectAll().where('type', '=', 'mule_destination').execute();
const networkOf = async (caseId: string) => {
  const response = await h.asAgent('alice', 'agent', { method: 'GET', url: `/v1/cases/${caseId}/network` });
  expect(response.statusCode).toBe(200);
  return response.json<NetworkCaseView>();
};

describe('mule destination network cases', () => {
  it('opens ONE P1 case from Kafka, updates it in place as accounts join, and ignores a repeat and a stale revision', async () => {
    const destination = `IBAN-MULE-${randomUUID().slice(0, 8)}`;
    const ring = Array.from({ length: 5 }, () => randomUUID());
    const first = announcement(destination, ring.slice(0, 3), 1);
    const second = announcement(destination, ring.slice(0, 5), 2);
    const stale = announcement(destination, ring.slice(0, 4), 1);
    const produce = (events: MuleDestinationDetected[]) =>
      h.kafka?.produce(
        TOPICS.muleDestinations,
        events.map((e) => ({ key: e.payload.incidentKey, value: JSON.stringify(e) })),
      );
    await produce([first]);
    const opened = await waitFor(async () => (await casesOfType()).find((c) => c.summary.includes(destination)), {
      what: 'the network case',
    });
    expect(opened).toMatchObject({ priority: 'P1', status: 'new', account_id: ring[0], occurrence_count: 1 });
    expect((await networkOf(opened.id)).accounts.map((a) => a.accountId)).toEqual(ring.slice(0, 3));

    await produce([second, first, stale, second]);
    await waitFor(async () => (await networkOf(opened.id)).revision === 2, { what: 'the update applied' });
    // Let the repeat and the stale one go through too (same partition: they come after).
    const marker = announcement(`IBAN-MARK-${randomUUID().slice(0, 8)}`, [randomUUID(), randomUUID(), randomUUID()], 1);
    await produce([marker]);
    await waitFor(async () => (await casesOfType()).some((c) => c.summary.includes(marker.payload.destination.id)), {
      what: 'the marker case',
    });

    const mine = (await casesOfType()).filter((c) => c.summary.includes(destination));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.occurrence_count).toBe(2);
    const view = await networkOf(opened.id);
    expect(view).toMatchObject({
      incidentKey: `bank_account:${destination}`,
      destination: { kind: 'bank_account', id: destination },
      revision: 2,
      window: { hours: 24, newPayers: 5, newPayersWithSigns: 3 },
    });
    expect(view.accounts.map((a) => a.accountId)).toEqual(ring);
    expect(view.accounts[4]).toMatchObject({
      payments: 1,
      amounts: [{ amountMinor: '50000', currency: 'EUR' }],
      decision: 'suspected_theft',
      maxScore: 64,
    });
    const timeline = await h.db.db
      .selectFrom('case_timeline')
      .select(['kind', 'body'])
      .where('case_id', '=', opened.id)
      .orderBy('id')
      .execute();
    expect(timeline.map((t) => t.kind)).toEqual(['opened', 'occurrence']);
    expect(timeline[1]?.body).toBe(`2 more account(s) paid bank_account:${destination}: 5 listed`);
    const evidence = await h.db.db.selectFrom('case_evidence').select('ref').where('case_id', '=', opened.id).execute();
    // The flags of every announcement applied (the stale one's are not).
    expect(evidence.map((e) => e.ref).sort()).toEqual(
      [...first.payload.accounts, ...second.payload.accounts].flatMap((a) => a.flagIds).sort(),
    );
  });

  it('freezes listed accounts from the case, and refuses any account the case does not list', async () => {
    const destination = `bc1q${randomUUID().replaceAll('-', '')}`;
    const ring = Array.from({ length: 3 }, () => randomUUID());
    const event = announcement(destination, ring, 1);
    const { caseId } = await h.db.db.transaction().execute((trx) => applyAnnouncement(trx, h.context, event));
    const freeze = (accountIds: string[]) =>
      h.asAgent('alice', 'agent', {
        method: 'POST',
        url: `/v1/cases/${caseId}/actions/freeze-listed-accounts`,
        payload: { accountIds, reason: 'Drained into a mule destination' },
      });

    const stranger = randomUUID();
    const refused = await freeze([ring[0] as string, stranger]);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({
      error: { code: 'CASE_ACCOUNT_NOT_IN_CASE', details: { accountIds: [stranger] } },
    });
    expect(upstream.calls.filter((c) => c.method === 'POST')).toEqual([]);

    upstream.on('POST', new RegExp(`/accounts/${ring[1]}/freeze$`), () => ({
      status: 409,
      body: { error: { code: 'AUTH_ALREADY_FROZEN', message: 'frozen' } },
    }));
    const done = await freeze([ring[0] as string, ring[1] as string]);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({
      results: [
        { accountId: ring[0], outcome: 'frozen' },
        { accountId: ring[1], outcome: 'failed', code: 'CASE_ACTION_REJECTED' },
      ],
    });
    const frozen = upstream.calls.filter((c) => c.method === 'POST').map((c) => c.path);
    expect(frozen).toEqual([`/internal/v1/accounts/${ring[0]}/freeze`, `/internal/v1/accounts/${ring[1]}/freeze`]);
    const entries = await h.db.db
      .selectFrom('case_timeline')
      .select(['kind', 'data'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'account_frozen')
      .execute();
    expect(entries.map((e) => (e.data as { accountId?: string }).accountId)).toEqual([ring[0]]);
  });

  it('answers 404 for a case that is no network case, and for no case at all', async () => {
    const missing = await h.asAgent('alice', 'agent', { method: 'GET', url: `/v1/cases/${randomUUID()}/network` });
    expect(missing.json()).toMatchObject({ error: { code: 'CASE_NOT_FOUND' } });
    const unauthenticated = await h.server.inject({ method: 'GET', url: `/v1/cases/${randomUUID()}/network` });
    expect(unauthenticated.statusCode).toBe(401);
  });
});
