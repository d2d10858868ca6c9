import { randomUUID } from 'node:crypto';
import type { CaseView } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_PASSWORD, call } from './http';
import { type System, startSystem } from './system';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

const password = CUSTOMER_PASSWORD;

async function register(email: string) {
  const res = await call(system.auth.url, 'POST', '/v1/accounts', { email, password, locale: 'en' });
  expect(res.status).toBe(201);
  return res.body.accountId as string;
}

const signIn = (email: string, pw: string) =>
  call(system.auth.url, 'POST', '/v1/sessions', {
    email,
    password: pw,
    context: { ip: '203.0.113.50', deviceId: 'attacker-laptop' },
  });

async function asAgent(
  agent: string,
  method: string,
  path: string,
  body?: unknown,
  role: 'agent' | 'supervisor' = 'agent',
) {
  const token = await system.agentToken(agent, role);
  return call(system.cases.url, method, path, body, {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
}

async function lockoutCase(accountId: string): Promise<CaseView> {
  return waitFor(
    async () =>
      (await asAgent('ada', 'GET', `/v1/cases?accountId=${accountId}`)).body.items.find(
        (c: CaseView) => c.type === 'account_lockout',
      ),
    { what: 'the lockout case', timeoutMs: 30_000 },
  );
}

describe('lockout to unlock, across auth, Kafka and support-cases', () => {
  it('wrong passwords lock the account, a case appears, an agent unlocks it after an identity check, the user signs in', async () => {
    const email = `user-${randomUUID()}@example.com`;
    const accountId = await register(email);
    for (let i = 0; i < 5; i++) expect((await signIn(email, 'wrong-password-attempt')).status).toBe(401);
    expect((await signIn(email, password)).status).toBe(401); // locked, and indistinguishable from a wrong password

    const c = await lockoutCase(accountId);
    expect(c).toMatchObject({ priority: 'P3', status: 'new', occurrenceCount: 1 });

    const detail = await asAgent('ada', 'GET', `/v1/cases/${c.id}`);
    expect(detail.body.account).toMatchObject({ available: true, data: { accountId, status: 'active', locked: true } });
    expect(detail.body.securityEvents.available).toBe(true);
    expect(detail.body.securityEvents.data.items.map((e: { type: string }) => e.type)).toContain('account.locked');
    expect(JSON.stringify(detail.body)).not.toContain(password);

    expect((await asAgent('ada', 'POST', `/v1/cases/${c.id}/claim`)).status).toBe(200);
    expect((await asAgent('bo', 'POST', `/v1/cases/${c.id}/claim`)).body.error.code).toBe('CASE_ALREADY_CLAIMED');
    const unlocked = await asAgent('ada', 'POST', `/v1/cases/${c.id}/actions/unlock-account`, {
      verification: { method: 'video_call', reference: 'call-2026-11-23-0042' },
    });
    expect(unlocked.status).toBe(200);

    const signedIn = await signIn(email, password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));

    const after = await asAgent('ada', 'GET', `/v1/cases/${c.id}`);
    const action = after.body.timeline.find((t: { kind: string }) => t.kind === 'account_unlocked');
    expect(action).toMatchObject({
      actor: 'agent:ada',
      data: { verification: { method: 'video_call', reference: 'call-2026-11-23-0042' } },
    });
    expect(after.body.account.data.locked).toBe(false);
    // Unlocked by an agent: the case stays for the agent to close with an outcome.
    expect(after.body.case.status).toBe('open');
    const resolved = await asAgent('ada', 'POST', `/v1/cases/${c.id}/resolve`, {
      outcome: 'unlocked',
      note: 'Verified on video call',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'unlocked' });
  });

  it('a theft report freezes the account at once and opens one P1 case; unlock is refused until a supervisor unfreezes', async () => {
    const email = `user-${randomUUID()}@example.com`;
    const accountId = await register(email);
    const report = await call(system.cases.url, 'POST', '/v1/customer-cases', {
      accountId,
      category: 'theft_report',
      message: 'My phone was stolen',
      locale: 'en',
    });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ accountFrozen: true });
    expect((await signIn(email, password)).status).toBe(401);

    const caseId = report.body.caseId as string;
    // auth announces the freeze with the case id; it joins the same case instead of opening another.
    await waitFor(async () => (await asAgent('ada', 'GET', `/v1/cases/${caseId}`)).body.case.occurrenceCount === 2, {
      what: 'the freeze event on the case',
    });
    const all = await asAgent('ada', 'GET', `/v1/cases?accountId=${accountId}`);
    expect(all.body.items.map((c: CaseView) => [c.id, c.priority])).toEqual([[caseId, 'P1']]);

    const refused = await asAgent('ada', 'POST', `/v1/cases/${caseId}/actions/unlock-account`, {
      verification: { method: 'id_document', reference: 'doc-1' },
    });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CASE_ACCOUNT_FROZEN']);
    const byAgent = await asAgent('ada', 'POST', `/v1/cases/${caseId}/actions/unfreeze-account`, {
      reason: 'Customer found the phone',
    });
    expect(byAgent.status).toBe(403);
    const bySupervisor = await asAgent(
      'sam',
      'POST',
      `/v1/cases/${caseId}/actions/unfreeze-account`,
      { reason: 'Customer found the phone' },
      'supervisor',
    );
    expect(bySupervisor.status).toBe(200);
    expect((await signIn(email, password)).status).toBe(200);
  });
});
