import { randomUUID } from 'node:crypto';
import type { CaseView } from '@wallet-guard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type FakeUpstream, startFakeUpstream } from '../testing/fake-upstream';
import { type CasesHarness, startCases } from '../testing/harness';

let upstream: FakeUpstream;
let h: CasesHarness;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  h = await startCases({ env: { CASES_AUTH_URL: upstream.url, CASES_MONITOR_URL: upstream.url } });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

async function openLockoutCase(accountId: string = randomUUID()) {
  const { case: c } = await h.db.db.transaction().execute((trx) =>
    recordIncident(trx, h.context, {
      kind: incidentKinds.lockout(accountId),
      accountId,
      actor: SYSTEM,
      detail: 'Locked after 5 failures',
      evidence: [],
    }),
  );
  return c;
}

const post = (agent: string, role: 'agent' | 'supervisor', url: string, payload?: object) =>
  h.asAgent(agent, role, { method: 'POST', url, ...(payload ? { payload } : {}) });

async function timeline(caseId: string) {
  return h.db.db.selectFrom('case_timeline').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/**
 * Every route that acts on an account through another service: what it asks of that service,
 * what the case records once it is done, and who may call it.
 */
const ACTIONS = [
  {
    route: 'unlock-account',
    kind: 'account_unlocked',
    actor: { name: 'alice', role: 'agent' as const },
    upstream: /\/unlock$/,
    readsFirst: true,
    body: () => ({ verification: { method: 'video_call', reference: 'call-42' } }),
  },
  {
    route: 'freeze-account',
    kind: 'account_frozen',
    actor: { name: 'alice', role: 'agent' as const },
    upstream: /\/freeze$/,
    readsFirst: false,
    body: () => ({ reason: 'Takeover pattern' }),
  },
  {
    route: 'unfreeze-account',
    kind: 'account_unfrozen',
    actor: { name: 'carol', role: 'supervisor' as const },
    upstream: /\/unfreeze$/,
    readsFirst: false,
    body: () => ({ reason: 'Customer confirmed on the registered phone' }),
  },
  {
    route: 'label-transaction',
    kind: 'transaction_labelled',
    actor: { name: 'alice', role: 'agent' as const },
    upstream: /\/feedback$/,
    readsFirst: true,
    body: (accountId: string) => {
      const flagId = randomUUID();
      upstream.flags.set(flagId, accountId);
      return { flagId, label: 'fraud' };
    },
  },
];

/** The invariant: the other service did the action exactly as often as the case records it done. */
async function expectPerformedIffRecorded(caseId: string, action: (typeof ACTIONS)[number]) {
  const performed = upstream.calls.filter((c) => c.method === 'POST' && action.upstream.test(c.path)).length;
  const recorded = (await timeline(caseId)).filter((t) => t.kind === action.kind);
  expect([action.route, recorded.length]).toEqual([action.route, performed]);
  for (const entry of recorded) expect(entry.actor).toBe(`agent:${action.actor.name}`);
  return performed;
}

describe.each(ACTIONS)('$route: refused before anything happens, or performed and recorded', (action) => {
  const url = (caseId: string) => `/v1/cases/${caseId}/actions/${action.route}`;

  it('records the action when another agent tries to claim the case while the other service acts', async () => {
    const c = await openLockoutCase();
    let racingClaim: number | undefined;
    upstream.on('POST', action.upstream, async (call) => {
      racingClaim = (await post('bob', 'agent', `/v1/cases/${c.id}/claim`)).statusCode;
      return upstream.answer(call);
    });
    const res = await post(action.actor.name, action.actor.role, url(c.id), action.body(c.accountId));
    expect([res.statusCode, res.json<CaseView>().assignee]).toEqual([200, action.actor.name]);
    // The case was the acting agent's before the other service was asked: the claim lost.
    expect(racingClaim).toBe(409);
    expect(await expectPerformedIffRecorded(c.id, action)).toBe(1);
    const kinds = (await timeline(c.id)).map((t) => t.kind);
    expect(kinds.indexOf('action_requested')).toBeLessThan(kinds.indexOf(action.kind));
  });

  it('records the action even when a supervisor takes the case over while the other service acts', async () => {
    const c = await openLockoutCase();
    upstream.on('POST', action.upstream, async (call) => {
      expect((await post('sam', 'supervisor', `/v1/cases/${c.id}/claim`)).statusCode).toBe(200);
      return upstream.answer(call);
    });
    const res = await post(action.actor.name, action.actor.role, url(c.id), action.body(c.accountId));
    expect(res.statusCode).toBe(200);
    expect(await expectPerformedIffRecorded(c.id, action)).toBe(1);
    expect(
      (await h.db.db.selectFrom('cases').select('assignee').where('id', '=', c.id).executeTakeFirst())?.assignee,
    ).toBe('sam');
  });

  it('asks nothing of the other service when another agent claimed the case first (during the checks too)', async () => {
    const c = await openLockoutCase();
    // The read-only checks (the account's status, the flag's account) are where a claim can slip in.
    const claimDuringChecks = action.readsFirst && action.actor.role === 'agent';
    upstream.on('GET', /./, async (call) => {
      if (claimDuringChecks) await post('bob', 'agent', `/v1/cases/${c.id}/claim`);
      // The account is active, the flag is the case's account's.
      return upstream.answer(call);
    });
    if (!claimDuringChecks) await post('bob', 'agent', `/v1/cases/${c.id}/claim`);
    const res = await post(action.actor.name, action.actor.role, url(c.id), action.body(c.accountId));
    if (action.actor.role === 'supervisor') {
      // A supervisor may act on any case, held or not.
      expect(res.statusCode).toBe(200);
      expect(await expectPerformedIffRecorded(c.id, action)).toBe(1);
      return;
    }
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'CASE_ALREADY_CLAIMED']);
    expect(await expectPerformedIffRecorded(c.id, action)).toBe(0);
    expect((await timeline(c.id)).map((t) => t.kind)).not.toContain('action_requested');
  });

  it('records a refusal or a silence of the other service, and never the action itself', async () => {
    const c = await openLockoutCase();
    upstream.on('POST', action.upstream, () => ({
      status: 409,
      body: { error: { code: 'UPSTREAM_SAYS_NO', message: 'No' } },
    }));
    const refused = await post(action.actor.name, action.actor.role, url(c.id), action.body(c.accountId));
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'CASE_ACTION_REJECTED']);
    upstream.on('POST', action.upstream, () => ({ status: 500, body: {} }));
    const silent = await post(action.actor.name, action.actor.role, url(c.id), action.body(c.accountId));
    expect([silent.statusCode, silent.json().error.code]).toEqual([503, 'CASE_UPSTREAM_UNAVAILABLE']);
    const failures = (await timeline(c.id)).filter((t) => t.kind === 'action_failed');
    expect(failures.map((f) => [f.actor, f.data.action, f.data.outcome])).toEqual([
      [`agent:${action.actor.name}`, action.kind, 'refused'],
      [`agent:${action.actor.name}`, action.kind, 'unknown'],
    ]);
    expect((await timeline(c.id)).filter((t) => t.kind === action.kind)).toEqual([]);
  });
});

describe('the identity check is on the case before auth unlocks', () => {
  it('records who asked, how the caller was verified and the reference, then the unlock', async () => {
    const c = await openLockoutCase();
    upstream.on('POST', /\/unlock$/, async (call) => {
      // While auth works, the case already says what is being done and on what evidence.
      const requested = (await timeline(c.id)).find((t) => t.kind === 'action_requested');
      expect(requested).toMatchObject({
        actor: 'agent:alice',
        data: { action: 'account_unlocked', verification: { method: 'id_document', reference: 'doc-7' } },
      });
      return upstream.answer(call);
    });
    const res = await post('alice', 'agent', `/v1/cases/${c.id}/actions/unlock-account`, {
      verification: { method: 'id_document', reference: 'doc-7' },
    });
    expect(res.statusCode).toBe(200);
    const done = (await timeline(c.id)).find((t) => t.kind === 'account_unlocked');
    expect(done).toMatchObject({
      actor: 'agent:alice',
      data: { verification: { method: 'id_document', reference: 'doc-7' } },
    });
  });
});

describe('unlock-account never unlocks blind', () => {
  it('asks auth nothing when it answers without the account status (it could be frozen)', async () => {
    const c = await openLockoutCase();
    for (const body of [null, { accountId: c.accountId }]) {
      upstream.on('GET', /^\/internal\/v1\/accounts\/[^/]+$/, () => ({ status: 200, body }));
      const res = await post('alice', 'agent', `/v1/cases/${c.id}/actions/unlock-account`, {
        verification: { method: 'video_call', reference: 'call-9' },
      });
      expect([JSON.stringify(body), res.statusCode, res.json().error.code]).toEqual([
        JSON.stringify(body),
        503,
        'CASE_UPSTREAM_UNAVAILABLE',
      ]);
    }
    expect(upstream.calls.filter((call) => call.path.endsWith('/unlock'))).toEqual([]);
    expect((await timeline(c.id)).map((t) => t.kind)).toEqual(['opened']);
  });
});

describe('label-transaction only labels flags of the case', () => {
  it("answers 404 CASE_FLAG_NOT_FOUND for another account's flag and an unknown one, labelling nothing", async () => {
    const c = await openLockoutCase();
    const foreign = randomUUID();
    upstream.flags.set(foreign, randomUUID());
    for (const flagId of [foreign, randomUUID()]) {
      const res = await post('alice', 'agent', `/v1/cases/${c.id}/actions/label-transaction`, {
        flagId,
        label: 'fraud',
      });
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'CASE_FLAG_NOT_FOUND']);
    }
    expect(upstream.calls.filter((call) => call.path.endsWith('/feedback'))).toEqual([]);
    const evidence = await h.db.db.selectFrom('case_evidence').selectAll().where('case_id', '=', c.id).execute();
    expect(evidence).toEqual([]);
    expect((await timeline(c.id)).map((t) => t.kind)).toEqual(['opened']);
  });

  it("labels the account's own flag, sends the case id along and attaches the flag as evidence", async () => {
    const c = await openLockoutCase();
    const own = randomUUID();
    upstream.flags.set(own, c.accountId);
    const res = await post('alice', 'agent', `/v1/cases/${c.id}/actions/label-transaction`, {
      flagId: own,
      label: 'legitimate',
    });
    expect(res.statusCode).toBe(200);
    expect(upstream.calls.find((call) => call.path === `/v1/flags/${own}/feedback`)?.body).toMatchObject({
      label: 'false_positive',
      actor: 'agent:alice',
      caseId: c.id,
    });
    const evidence = await h.db.db
      .selectFrom('case_evidence')
      .select(['kind', 'ref'])
      .where('case_id', '=', c.id)
      .execute();
    expect(evidence).toEqual([{ kind: 'flag', ref: own }]);
  });
});

describe("a customer's theft report freezes the account, and the case says so", () => {
  const report = (accountId: string) =>
    h.server.inject({
      method: 'POST',
      url: '/v1/customer-cases',
      headers: { 'x-api-key': 'dev-wallet-key' },
      payload: { accountId, category: 'theft_report', message: 'My phone was stolen', locale: 'en' },
    });

  it('records the freeze auth performed, and a refusal as a failure', async () => {
    const frozen = await report(randomUUID());
    expect(frozen.json()).toMatchObject({ accountFrozen: true });
    expect(upstream.calls.filter((call) => call.path.endsWith('/freeze'))).toHaveLength(1);
    expect((await timeline(frozen.json().caseId)).filter((t) => t.kind === 'account_frozen')).toMatchObject([
      { actor: 'customer' },
    ]);

    upstream.on('POST', /\/freeze$/, () => ({
      status: 409,
      body: { error: { code: 'AUTH_SOMETHING', message: 'No' } },
    }));
    const refused = await report(randomUUID());
    expect(refused.json()).toMatchObject({ accountFrozen: false });
    const entries = await timeline(refused.json().caseId);
    expect(entries.filter((t) => t.kind === 'account_frozen')).toEqual([]);
    expect(entries.filter((t) => t.kind === 'action_failed').map((t) => t.data)).toEqual([
      {
        action: 'account_frozen',
        outcome: 'refused',
        service: 'auth',
        code: 'AUTH_SOMETHING',
        requestId: entries.find((t) => t.kind === 'action_requested')?.id,
      },
    ]);
  });
});

describe('transaction ids a customer names must be their account’s', () => {
  const dispute = (accountId: string, transactionIds: string[]) =>
    h.server.inject({
      method: 'POST',
      url: '/v1/customer-cases',
      headers: { 'x-api-key': 'dev-wallet-key' },
      payload: { accountId, category: 'transaction_dispute', message: 'Not me', transactionIds, locale: 'en' },
    });

  it('refuses a transaction the monitor flagged for another account, opening nothing', async () => {
    const accountId = randomUUID();
    const own = `tx-${randomUUID()}`;
    const foreign = `tx-${randomUUID()}`;
    upstream.flaggedTransactions.set(own, accountId);
    upstream.flaggedTransactions.set(foreign, randomUUID());
    const refused = await dispute(accountId, [own, foreign]);
    expect([refused.statusCode, refused.json().error]).toEqual([
      400,
      expect.objectContaining({ code: 'CASE_TRANSACTION_NOT_OF_ACCOUNT', details: { transactionIds: [foreign] } }),
    ]);
    expect(await h.db.db.selectFrom('cases').select('id').where('account_id', '=', accountId).execute()).toEqual([]);

    // Its own flagged transaction, and one the monitor never flagged (the wallet vouches for it).
    const unflagged = `tx-${randomUUID()}`;
    const opened = await dispute(accountId, [own, unflagged]);
    expect(opened.statusCode).toBe(201);
    const evidence = await h.db.db
      .selectFrom('case_evidence')
      .select('ref')
      .where('case_id', '=', opened.json().caseId)
      .orderBy('ref')
      .execute();
    expect(evidence.map((e) => e.ref)).toEqual([own, unflagged].sort());
  });
});
