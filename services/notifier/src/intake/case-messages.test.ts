// Review probes (issue 13): support-cases' events reach the customer, addressed through auth
// (an HTTP stand-in for auth's internal API here), in the account's language, escaped.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaseEvent, createEvent, TOPICS } from '@wallet-guard/contracts';
import { enqueueEvent } from '@wallet-guard/messaging';
import { type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier } from '../testing/harness';

const accounts = new Map<string, { email: string; locale: string }>();
let auth: Server;
let smtp: SmtpSink;
let notifier: RunningNotifier;

beforeAll(async () => {
  auth = createServer((req, res) => {
    const id = /^\/internal\/v1\/accounts\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
    const account = accounts.get(id);
    res.setHeader('content-type', 'application/json');
    if (!account) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'AUTH_ACCOUNT_NOT_FOUND', message: 'no such account' } }));
      return;
    }
    const now = new Date().toISOString();
    res.end(
      JSON.stringify({
        accountId: id,
        ...account,
        status: 'active',
        frozen: null,
        locked: false,
        locks: [],
        twoFactorEnabled: false,
        activeSessions: 0,
        createdAt: now,
        lastLoginAt: null,
        passwordChangedAt: now,
      }),
    );
  });
  await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
  smtp = await startSmtpSink();
  notifier = await startNotifier({
    env: {
      NOTIFIER_SMTP_URL: smtp.url,
      NOTIFIER_AUTH_URL: `http://127.0.0.1:${(auth.address() as AddressInfo).port}`,
    },
  });
});
afterAll(async () => {
  await notifier.close();
  await smtp.close();
  await new Promise((resolve) => auth.close(resolve));
});

const caseRef = (_accountId: string) => ({
  caseId: randomUUID(),
  caseNumber: `CASE-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
  caseType: 'customer_theft_report' as const,
  status: 'open' as const,
  priority: 'P1' as const,
  locale: 'en',
});

async function publish(event: CaseEvent) {
  await notifier.infra.db.transaction().execute((trx) => enqueueEvent(trx, 'support-cases', TOPICS.caseEvents, event));
  notifier.infra.bus.nudge();
}

const caseEvent = (accountId: string, type: CaseEvent['type'], payload: object) =>
  createEvent(TOPICS.caseEvents, {
    type,
    version: 1,
    producer: 'support-cases',
    accountId,
    payload,
  } as never) as CaseEvent;

it("a public note reaches the customer in the account's language, its HTML escaped", async () => {
  const accountId = randomUUID();
  accounts.set(accountId, { email: 'li.wei@example.com', locale: 'zh-Hans-CN' });
  const ref = caseRef(accountId);
  await publish(
    caseEvent(accountId, 'case.public_note_added', { ...ref, body: '<script>alert(1)</script>\n请确认最后一笔付款。' }),
  );
  const mail = await smtp.waitFor((m) => m.envelope.to.includes('li.wei@example.com'));
  expect(mail.subject).toContain(ref.caseNumber);
  expect(mail.subject).toMatch(/[\u4e00-\u9fff]/);
  expect(mail.html).not.toContain('<script>alert(1)</script>');
  expect(mail.text).toContain('> <script>alert(1)</script>');
});

it('an unknown account is recorded as failed, and internal case events send nothing', async () => {
  const ghost = randomUUID();
  const ref = caseRef(ghost);
  await publish(caseEvent(ghost, 'case.opened', { ...ref, status: 'new' }));
  const rows = await waitFor(async () => {
    const found = await notifier.deliveries(ghost);
    return found.length > 0 ? found : null;
  });
  expect(rows[0]).toMatchObject({ status: 'failed', lastError: 'auth has no such account', kind: 'case_opened' });

  const known = randomUUID();
  accounts.set(known, { email: 'quiet@example.com', locale: 'en' });
  const other = caseRef(known);
  await publish(caseEvent(known, 'case.updated', { ...other, changes: [{ field: 'priority', from: 'P3', to: 'P1' }] }));
  await publish(caseEvent(known, 'sla.breached', { ...other, sla: 'first_response', dueAt: new Date().toISOString() }));
  await publish(caseEvent(known, 'case.opened', { ...other, caseType: 'suspected_theft', status: 'new' }));
  const marker = caseRef(known);
  await publish(caseEvent(known, 'case.resolved', { ...marker, status: 'resolved', outcome: 'confirmed_theft' }));
  const last = await smtp.waitFor((m) => m.envelope.to.includes('quiet@example.com'));
  expect(last.subject).toContain(marker.caseNumber);
  expect(smtp.messages.filter((m) => m.envelope.to.includes('quiet@example.com'))).toHaveLength(1);
});

it("an escalation for a missed first response alerts the desk's on-call address, never the customer", async () => {
  const accountId = randomUUID();
  accounts.set(accountId, { email: 'escalated.customer@example.com', locale: 'zh-CN' });
  const ref = { ...caseRef(accountId), status: 'escalated' as const };
  const escalated = (onCall?: { email: string }) =>
    caseEvent(accountId, 'sla.escalated', {
      ...ref,
      sla: 'first_response',
      dueAt: '2026-11-29T09:15:00.000Z',
      from: 'open',
      queue: 'supervisors',
      ...(onCall ? { onCall } : {}),
    });
  // Without an address configured, nobody is written to; with one, on-call is.
  await publish(escalated());
  await publish(escalated({ email: 'oncall.desk@example.com' }));
  const alert = await smtp.waitFor((m) => m.envelope.to.includes('oncall.desk@example.com'));
  expect(alert.subject).toBe(`P1 case ${ref.caseNumber} missed its first response`);
  expect(alert.text).toContain('Type: customer_theft_report');
  expect(alert.text).toContain('Status before: open');
  const rows = await waitFor(async () => {
    const found = await notifier.deliveries(accountId);
    return found.some((r) => r.status === 'sent') ? found : null;
  });
  expect(rows.map((r) => [r.kind, r.status])).toEqual([['oncall_escalation', 'sent']]);
  expect(smtp.messages.filter((m) => m.envelope.to.includes('escalated.customer@example.com'))).toEqual([]);
  expect(smtp.messages.filter((m) => m.envelope.to.includes('oncall.desk@example.com'))).toHaveLength(1);
});
