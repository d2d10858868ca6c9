import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { beginAccountAction } from '../cases/account-action-steps';
import { SYSTEM } from '../cases/actor';
import { incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { securityEventsHandler } from '../intake/security-events';
import { type FakeUpstream, startFakeUpstream } from '../testing/fake-upstream';
import { type CasesHarness, securityEvent, startCases } from '../testing/harness';
import { settleUnansweredActions, UNANSWERED_AFTER_MS } from './unanswered-actions';

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

const deps = () => h.context;

async function openLockoutCase(accountId: string = randomUUID()) {
  const { case: c } = await h.db.db.transaction().execute((trx) =>
    recordIncident(trx, deps(), {
      kind: incidentKinds.lockout(accountId),
      accountId,
      actor: SYSTEM,
      detail: 'Locked after 5 failures',
      evidence: [],
    }),
  );
  return c;
}

async function timeline(caseId: string) {
  return h.db.db.selectFrom('case_timeline').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** The service's clock moved past the time auth may take to answer. */
const later = () => {
  h.clock.advance(UNANSWERED_AFTER_MS + 60_000);
  return h.clock.now();
};

describe('an account action whose outcome was never recorded', () => {
  it('is settled as unknown once, naming the request, while answered ones and recent ones are left alone', async () => {
    const c = await openLockoutCase();
    // The process stopped after the request was committed and auth was called: no outcome.
    const { requestId } = await h.db.db.transaction().execute((trx) =>
      beginAccountAction(
        trx,
        h.context,
        c.id,
        { kind: 'agent', name: 'alice', role: 'agent' },
        {
          kind: 'account_unlocked',
          service: 'auth',
          body: 'Account unlocked after video_call',
          data: { verification: { method: 'video_call', reference: 'call-1' } },
        },
      ),
    );
    // Another action on the same case ran to its end (its outcome names its request).
    const done = await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${c.id}/actions/freeze-account`,
      payload: { reason: 'Takeover pattern' },
    });
    expect(done.statusCode).toBe(200);

    // Still within the time auth may take: nothing to settle yet.
    await settleUnansweredActions(h.db.db, h.clock.now());
    expect((await timeline(c.id)).filter((t) => t.kind === 'action_failed')).toEqual([]);

    await settleUnansweredActions(h.db.db, later());
    await settleUnansweredActions(h.db.db, h.clock.now());
    const failed = (await timeline(c.id)).filter((t) => t.kind === 'action_failed');
    expect(failed.map((f) => [f.actor, f.data])).toEqual([
      [
        'system',
        {
          action: 'account_unlocked',
          service: 'auth',
          outcome: 'unknown',
          reason: 'no_outcome_recorded',
          requestId,
        },
      ],
    ]);
  });

  it("leaves nothing unanswered after a theft report's freeze: its outcome names the request", async () => {
    upstream.on('POST', /\/freeze$/, async (call) => {
      // While auth freezes, the case already holds the request.
      const caseId = (call.body as { caseId: string }).caseId;
      expect((await timeline(caseId)).map((t) => t.kind)).toContain('action_requested');
      return upstream.answer(call);
    });
    const res = await h.server.inject({
      method: 'POST',
      url: '/v1/customer-cases',
      headers: { 'x-api-key': 'dev-wallet-key' },
      payload: { accountId: randomUUID(), category: 'theft_report', message: 'Phone stolen', locale: 'en' },
    });
    expect(res.statusCode).toBe(201);
    const caseId = res.json().caseId as string;
    const requested = (await timeline(caseId)).find((t) => t.kind === 'action_requested');
    expect(requested?.data).toMatchObject({ action: 'account_frozen', service: 'auth' });
    expect((await timeline(caseId)).find((t) => t.kind === 'account_frozen')?.data).toEqual({
      requestId: requested?.id,
    });
    await settleUnansweredActions(h.db.db, later());
    expect((await timeline(caseId)).filter((t) => t.kind === 'action_failed')).toEqual([]);
  });
});

describe('the running service settles unanswered actions on its own', () => {
  it('settles a request left without outcome, on the SLA check interval', async () => {
    const quick = await startCases({ env: { CASES_SLA_CHECK_INTERVAL_MS: '200' } });
    try {
      const accountId = randomUUID();
      const { case: c } = await quick.db.db.transaction().execute((trx) =>
        recordIncident(trx, quick.context, {
          kind: incidentKinds.lockout(accountId),
          accountId,
          actor: SYSTEM,
          detail: 'Locked',
          evidence: [],
        }),
      );
      // A request from before a crash, then past the time auth may take.
      const [request] = await quick.db.db
        .insertInto('case_timeline')
        .values({
          case_id: c.id,
          actor: 'agent:alice',
          kind: 'action_requested',
          visibility: 'internal',
          body: 'Account unlocked after video_call',
          data: JSON.stringify({ action: 'account_unlocked', service: 'auth' }),
          at: quick.clock.now(),
        })
        .returning('id')
        .execute();
      quick.clock.advance(UNANSWERED_AFTER_MS + 60_000);
      await vi.waitFor(
        async () => {
          const failed = await quick.db.db
            .selectFrom('case_timeline')
            .select('data')
            .where('case_id', '=', c.id)
            .where('kind', '=', 'action_failed')
            .execute();
          expect(failed.map((f) => f.data)).toMatchObject([{ outcome: 'unknown', requestId: String(request?.id) }]);
        },
        { timeout: 20_000, interval: 200 },
      );
    } finally {
      await quick.close();
    }
  });
});

describe("a freeze event naming a case of another account (kind 2: ids checked against the case's account)", () => {
  it("opens the account's own frozen case and leaves the other account's case untouched", async () => {
    const other = await openLockoutCase();
    const accountId = randomUUID();
    const frozen = securityEvent({
      type: 'account.frozen',
      accountId,
      payload: { by: 'agent', actor: 'agent:mallory', reason: 'Takeover', caseId: other.id },
    });
    await h.db.db
      .transaction()
      .execute((trx) =>
        securityEventsHandler(deps()).handle(trx, [
          { event: frozen, topic: TOPICS.securityEvents, partition: null, offset: '1', key: accountId },
        ]),
      );
    const untouched = await h.db.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect([untouched.occurrence_count, untouched.priority]).toEqual([1, 'P3']);
    expect((await timeline(other.id)).map((t) => t.kind)).toEqual(['opened']);
    const own = await h.db.db
      .selectFrom('cases')
      .select(['type', 'priority'])
      .where('account_id', '=', accountId)
      .execute();
    expect(own).toEqual([{ type: 'account_frozen', priority: 'P1' }]);
  });

  it("never joins an incident to another account's case, whatever join keys it is given", async () => {
    const other = await openLockoutCase();
    const accountId = randomUUID();
    const { case: c } = await h.db.db.transaction().execute((trx) =>
      recordIncident(trx, deps(), {
        kind: incidentKinds.theft(accountId),
        accountId,
        joinKeys: [`lockout:${other.accountId}`],
        actor: SYSTEM,
        detail: 'Suspected theft',
        evidence: [],
      }),
    );
    expect([c.id === other.id, c.accountId]).toEqual([false, accountId]);
    expect((await timeline(other.id)).map((t) => t.kind)).toEqual(['opened']);
  });
});
