// The case page's "messages to the customer": the notifier's deliveries of the case's account,
// asked live, and a notifier that is down, failing, refusing or hanging never fails the case.
import { randomUUID } from 'node:crypto';
import type { CaseDetailView } from '@wallet-guard/contracts';
import { freePort } from '@wallet-guard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, fakeDelivery, startFakeUpstream } from '../testing/fake-upstream';
import { type CasesHarness, startCases } from '../testing/harness';
import { SYSTEM } from './actor';
import { incidentKinds } from './case-rules';
import { recordIncident } from './incidents';

/** Not the dev key and not auth's: the notifier must get exactly the one configured for it. */
const NOTIFIER_KEY = 'a-notifier-key-for-this-test-0123456789';

let upstream: FakeUpstream;
let h: CasesHarness;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  h = await startCases({
    env: {
      CASES_AUTH_URL: upstream.url,
      CASES_MONITOR_URL: upstream.url,
      CASES_NOTIFIER_URL: upstream.url,
      CASES_NOTIFIER_API_KEY: NOTIFIER_KEY,
    },
  });
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

async function openLockoutCase(harness: CasesHarness, accountId: string = randomUUID()) {
  const { case: c } = await harness.db.db.transaction().execute((trx) =>
    recordIncident(trx, harness.context, {
      kind: incidentKinds.lockout(accountId),
      accountId,
      actor: SYSTEM,
      detail: 'Locked after 5 failures',
      evidence: [],
    }),
  );
  return c;
}

async function caseDetail(harness: CasesHarness, caseId: string) {
  const res = await harness.asAgent('ada', 'agent', { method: 'GET', url: `/v1/cases/${caseId}` });
  return { status: res.statusCode, body: res.json() as CaseDetailView };
}

const deliveryCalls = () => upstream.calls.filter((c) => c.path.startsWith('/v1/deliveries'));

describe('the case shows the messages sent to its customer', () => {
  it("lists the account's latest deliveries, newest first, marking this case's, asked with the notifier's key", async () => {
    const c = await openLockoutCase(h);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const caseOpened = fakeDelivery(c.accountId, {
      kind: 'case_opened',
      caseId: c.id,
      locale: 'zh-CN',
      status: 'retrying',
      attempts: 3,
      sentAt: null,
      serverResponse: null,
      lastError: 'connection refused',
      nextAttemptAt: minutesAgo(-2),
      createdAt: minutesAgo(1),
    });
    const unlockLink = fakeDelivery(c.accountId, { createdAt: minutesAgo(3) });
    const otherCase = fakeDelivery(c.accountId, {
      kind: 'case_resolved',
      caseId: randomUUID(),
      status: 'failed',
      sentAt: null,
      serverResponse: null,
      lastError: 'smtp 550: mailbox unavailable',
      createdAt: minutesAgo(60),
    });
    upstream.deliveries.set(c.accountId, [caseOpened, unlockLink, otherCase]);
    upstream.deliveries.set(randomUUID(), [fakeDelivery(randomUUID())]);

    const { status, body } = await caseDetail(h, c.id);
    expect(status).toBe(200);
    expect(body.case.id).toBe(c.id);
    expect(body.messages).toEqual({
      available: true,
      data: [
        { ...caseOpened, aboutThisCase: true },
        { ...unlockLink, aboutThisCase: false },
        { ...otherCase, aboutThisCase: false },
      ],
    });

    // All of the account's messages (no caseId filter: an unlock link belongs to no case), the
    // latest 20, with the key configured for the notifier.
    const [call] = deliveryCalls();
    const asked = new URL(call?.path ?? '/', 'http://x');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ accountId: c.accountId, limit: '20' });
    expect(call?.apiKey).toBe(NOTIFIER_KEY);
    expect(deliveryCalls()).toHaveLength(1);
  });

  it('shows an empty list for an account the notifier never wrote to', async () => {
    const c = await openLockoutCase(h);
    const { status, body } = await caseDetail(h, c.id);
    expect(status).toBe(200);
    expect(body.messages).toEqual({ available: true, data: [] });
  });
});

describe('a notifier that gives no usable answer leaves the case page working', () => {
  const failures = [
    { what: 'fails (500)', answer: { status: 500, body: { error: { code: 'NOTIFIER_INTERNAL', message: 'x' } } } },
    { what: 'is overloaded (503)', answer: { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'x' } } } },
    {
      what: 'refuses the key (401)',
      answer: { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'x' } } },
    },
    { what: 'answers in a shape we do not know', answer: { status: 200, body: { deliveries: [] } } },
  ];
  for (const { what, answer } of failures) {
    it(`answers 200 with the messages unavailable when the notifier ${what}`, async () => {
      const c = await openLockoutCase(h);
      upstream.on('GET', /^\/v1\/deliveries/, () => answer);
      const { status, body } = await caseDetail(h, c.id);
      expect(status).toBe(200);
      expect(body.case.id).toBe(c.id);
      expect(body.account.available).toBe(true);
      expect(body.messages).toEqual({ available: false, error: expect.stringMatching(/^notifier /) });
      expect(JSON.stringify(body.messages)).not.toContain(NOTIFIER_KEY);
      expect(deliveryCalls()).toHaveLength(1);
    });
  }

  it('gives up on a notifier that hangs after 2 s, so the case page does not wait for it', async () => {
    const c = await openLockoutCase(h);
    upstream.on('GET', /^\/v1\/deliveries/, async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      return upstream.answer(call);
    });
    const { status, body } = await caseDetail(h, c.id);
    expect(status).toBe(200);
    expect(body.messages).toEqual({ available: false, error: 'notifier did not answer (timeout)' });
  });
});

describe('no notifier at all', () => {
  let alone: CasesHarness;
  beforeAll(async () => {
    // A port nobody listens on: every call to the notifier meets "connection refused".
    alone = await startCases({
      env: {
        CASES_AUTH_URL: upstream.url,
        CASES_MONITOR_URL: upstream.url,
        CASES_NOTIFIER_URL: `http://127.0.0.1:${await freePort()}`,
      },
    });
  });
  afterAll(async () => {
    await alone?.close();
  });

  it('answers 200 with the case, the account and the messages unavailable', async () => {
    const c = await openLockoutCase(alone);
    const { status, body } = await caseDetail(alone, c.id);
    expect(status).toBe(200);
    expect(body.case.id).toBe(c.id);
    expect(body.account.available).toBe(true);
    expect(body.messages).toEqual({ available: false, error: 'notifier did not answer (unreachable)' });
  });
});
