// The managed lists across the services (issue 17): supervisors change them through support-cases
// (agents may only read), the monitor scores with them through Kafka and Postgres, and labelling a
// flag as fraud lets a supervisor block its destination so the next payment to it, from any
// account, is suspected theft.
import { randomUUID } from 'node:crypto';
import type { CaseView, ListAuditPage, ListEntriesPage, ListEntry, MonitorFlag } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './http';
import { type System, startSystem } from './system';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

async function asAgent(agent: string, role: 'agent' | 'supervisor', method: string, path: string, body?: unknown) {
  const token = await system.agentToken(agent, role);
  return call(system.cases.url, method, path, body, {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
}

const submit = async (transactions: unknown[]) =>
  expect((await call(system.monitor.url, 'POST', '/v1/transactions', { transactions })).status).toBe(202);

/** The monitor's flags of an account (its internal API, as support-cases reads them). */
const flagsOf = async (accountId: string): Promise<MonitorFlag[]> =>
  (
    await call(system.monitor.url, 'GET', `/v1/flags?accountId=${accountId}`, undefined, {
      'x-api-key': 'dev-internal-key',
    })
  ).body.items;

const payment = (accountId: string, fields: Record<string, unknown>) => ({
  transactionId: `tx-${randomUUID()}`,
  accountId,
  type: 'transfer_out',
  amountMinor: '4000',
  currency: 'EUR',
  occurredAt: new Date().toISOString(),
  ...fields,
});

describe('managed lists through support-cases', () => {
  it('lets agents read but not change the lists (403), and records the supervisor as the author', async () => {
    const draft = { kind: 'device', value: `emulator-${randomUUID()}`, action: 'review', reason: 'emulator farm' };
    const refused = await asAgent('bo', 'agent', 'POST', '/v1/lists/entries', draft);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'CASE_FORBIDDEN']);

    const added = await asAgent('sue', 'supervisor', 'POST', '/v1/lists/entries', draft);
    expect(added.status).toBe(201);
    const entry: ListEntry = added.body;
    expect(entry).toMatchObject({ author: 'agent:sue', action: 'review', value: draft.value });

    for (const [method, path, body] of [
      ['PATCH', `/v1/lists/entries/${entry.id}`, { action: 'block' }],
      ['POST', `/v1/lists/entries/${entry.id}/remove`, {}],
      ['POST', `/v1/cases/${randomUUID()}/flags/${randomUUID()}/block-destination`, {}],
    ] as const) {
      const res = await asAgent('bo', 'agent', method, path, body);
      expect([res.status, res.body.error.code], path).toEqual([403, 'CASE_FORBIDDEN']);
    }

    const read: ListEntriesPage = (await asAgent('bo', 'agent', 'GET', '/v1/lists/entries?kind=device')).body;
    expect(read.items.map((e) => e.id)).toContain(entry.id);
    expect(read.listsVersion).toBe(entry.version);

    const duplicate = await asAgent('sue', 'supervisor', 'POST', '/v1/lists/entries', draft);
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, 'CASE_LIST_ENTRY_EXISTS']);
    const badCidr = await asAgent('sue', 'supervisor', 'POST', '/v1/lists/entries', {
      ...draft,
      kind: 'ip',
      value: '10.1.2.3/8',
    });
    expect([badCidr.status, badCidr.body.error.code]).toEqual([400, 'CASE_LIST_INVALID_VALUE']);
    const unknown = await asAgent('sue', 'supervisor', 'PATCH', `/v1/lists/entries/${randomUUID()}`, {
      action: 'allow',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'CASE_LIST_ENTRY_NOT_FOUND']);

    const removed = await asAgent('max', 'supervisor', 'POST', `/v1/lists/entries/${entry.id}/remove`, {
      reason: 'farm gone',
    });
    expect(removed.body).toMatchObject({ removedBy: 'agent:max' });
    const trail: ListAuditPage = (await asAgent('bo', 'agent', 'GET', `/v1/lists/audit?entryId=${entry.id}`)).body;
    expect(trail.items.map((r) => [r.operation, r.actor, r.note])).toEqual([
      ['removed', 'agent:max', 'farm gone'],
      ['added', 'agent:sue', null],
    ]);
  });

  it('offers to block the destination of a flag labelled fraud, and the next payment to it is suspected theft', async () => {
    // A blocked country makes the first payment suspected theft: a takeover case opens for it.
    const country = 'KP';
    expect(
      (
        await asAgent('sue', 'supervisor', 'POST', '/v1/lists/entries', {
          kind: 'country',
          value: country,
          action: 'block',
          reason: 'sanctioned',
        })
      ).status,
    ).toBe(201);
    const victim = randomUUID();
    const mule = `bc1q-mule-${randomUUID().slice(0, 8)}`;
    await submit([payment(victim, { counterparty: { id: mule, kind: 'crypto_address' }, context: { country } })]);
    const theftCase: CaseView = await waitFor(
      async () => (await asAgent('ada', 'agent', 'GET', `/v1/cases?accountId=${victim}`)).body.items[0],
      { what: 'the theft case', timeoutMs: 30_000 },
    );
    const [flag] = await waitFor(
      async () => {
        const flags = await flagsOf(victim);
        return flags.length > 0 ? flags : undefined;
      },
      { what: 'the flag' },
    );
    expect(flag?.counterparty).toEqual({ kind: 'crypto_address', id: mule });
    const path = `/v1/cases/${theftCase.id}/flags/${flag?.id}/block-destination`;

    // Not labelled fraud yet: no offer to accept.
    const early = await asAgent('sue', 'supervisor', 'POST', path, {});
    expect([early.status, early.body.error.code]).toEqual([409, 'CASE_FLAG_NOT_CONFIRMED_FRAUD']);
    const labelled = await asAgent('ada', 'agent', 'POST', `/v1/cases/${theftCase.id}/actions/label-transaction`, {
      flagId: flag?.id,
      label: 'fraud',
    });
    expect(labelled.status).toBe(200);
    // Another case's account does not reach this flag.
    const elsewhere = await asAgent(
      'sue',
      'supervisor',
      'POST',
      `/v1/cases/${randomUUID()}/flags/${flag?.id}/block-destination`,
      {},
    );
    expect(elsewhere.status).toBe(404);

    const blocked = await asAgent('sue', 'supervisor', 'POST', path, { note: 'mule ring' });
    expect(blocked.status).toBe(201);
    expect(blocked.body).toMatchObject({
      kind: 'counterparty',
      value: `crypto_address:${mule}`,
      action: 'block',
      author: 'agent:sue',
      reason: `Confirmed fraud on case ${theftCase.number}, flag ${flag?.id}: mule ring`,
    });
    const again = await asAgent('sue', 'supervisor', 'POST', path, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'CASE_LIST_ENTRY_EXISTS']);

    // Another account pays the mule from a clean context: the block list catches it.
    const next = randomUUID();
    await submit([payment(next, { counterparty: { id: mule, kind: 'crypto_address' }, context: { country: 'DE' } })]);
    const [caught] = await waitFor(
      async () => {
        const flags = await flagsOf(next);
        return flags.length > 0 ? flags : undefined;
      },
      { what: 'the flag of the next payment to the mule' },
    );
    expect(caught?.decision).toBe('suspected_theft');
    expect(caught?.reasons.map((r) => r.rule)).toEqual(['listed_destination']);
    expect(caught?.listsVersion).toBe(blocked.body.version);
  });
});
