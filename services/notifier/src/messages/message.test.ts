import {
  type CaseEvent,
  caseEvent,
  exampleEvents,
  type Notification,
  notification,
  TOPICS,
} from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import { messageFromCaseEvent, messageFromNotification } from './message';

const unlock = notification.parse(exampleEvents[TOPICS.notifications]);
const envelope = { ...unlock, type: undefined, payload: undefined };
const person = { email: 'ada@example.com', locale: 'zh-Hans-CN' };
const freeze = { freezeToken: 'fz_Q4mT7wZ1cV9bN3xK6pL0sD2fG8h', freezeTokenExpiresAt: '2026-11-30T10:00:00.000Z' };
const at = new Date(unlock.occurredAt);

function auth(type: string, payload: object): Notification {
  return notification.parse({ ...envelope, type, payload: { ...person, ...payload } });
}

describe('messageFromNotification', () => {
  it.each([
    [
      auth('notification.unlock_link', { token: 't'.repeat(24), expiresAt: '2026-11-23T11:00:00.000Z' }),
      { kind: 'unlock_link', token: 't'.repeat(24), expiresAt: new Date('2026-11-23T11:00:00.000Z') },
    ],
    [
      auth('notification.password_reset_link', { token: 'r'.repeat(24), expiresAt: '2026-11-23T11:00:00.000Z' }),
      { kind: 'password_reset_link', token: 'r'.repeat(24), expiresAt: new Date('2026-11-23T11:00:00.000Z') },
    ],
    [
      auth('notification.new_sign_in', { ...freeze, context: { ip: '198.51.100.23', deviceId: 'd1', country: 'DE' } }),
      {
        kind: 'new_sign_in',
        signedInAt: at,
        origin: { ip: '198.51.100.23', userAgent: undefined, country: 'DE' },
        freezeToken: freeze.freezeToken,
        freezeTokenExpiresAt: new Date(freeze.freezeTokenExpiresAt),
      },
    ],
    [
      auth('notification.password_changed', freeze),
      {
        kind: 'password_changed',
        changedAt: at,
        freezeToken: freeze.freezeToken,
        freezeTokenExpiresAt: new Date(freeze.freezeTokenExpiresAt),
      },
    ],
    [auth('notification.account_frozen', {}), { kind: 'account_frozen', frozenAt: at }],
    [
      auth('notification.two_factor_changed', { change: 'enabled', ...freeze }),
      {
        kind: 'two_factor_changed',
        change: 'enabled',
        changedAt: at,
        freeze: { token: freeze.freezeToken, expiresAt: new Date(freeze.freezeTokenExpiresAt) },
      },
    ],
    // Older producers send no freeze token: the message still goes out, without a freeze link.
    [
      auth('notification.two_factor_changed', { change: 'disabled' }),
      { kind: 'two_factor_changed', change: 'disabled', changedAt: at, freeze: null },
    ],
    [auth('notification.recovery_codes_low', { remaining: 0 }), { kind: 'recovery_codes_low', remaining: 0 }],
  ])('$type -> its kind, addressed as requested', (event, expected) => {
    expect(messageFromNotification(event)).toEqual({ ...expected, ...person });
  });
});

const opened = exampleEvents[TOPICS.caseEvents];
const recipient = { email: 'li@example.com', locale: 'zh-CN' };

function caseOf(type: string, caseType: string, extra: object = {}): CaseEvent {
  return caseEvent.parse({ ...opened, type, payload: { ...opened.payload, caseType, ...extra } });
}

describe('messageFromCaseEvent', () => {
  const customerTypes = ['customer_complaint', 'customer_theft_report', 'customer_question', 'transaction_dispute'];
  const internalTypes = ['account_lockout', 'account_frozen', 'session_hijack_suspected', 'suspected_theft'];

  it.each(customerTypes)('tells the customer their %s was opened and resolved, with the case number', (caseType) => {
    expect(messageFromCaseEvent(caseOf('case.opened', caseType), recipient)).toEqual({
      kind: 'case_opened',
      caseNumber: 'CASE-000123',
      caseType,
      ...recipient,
    });
    expect(messageFromCaseEvent(caseOf('case.resolved', caseType, { outcome: 'unlocked' }), recipient)).toEqual({
      kind: 'case_resolved',
      caseNumber: 'CASE-000123',
      caseType,
      rating: null,
      ...recipient,
    });
    const asked = caseOf('case.resolved', caseType, {
      outcome: 'unlocked',
      satisfaction: { expiresAt: '2026-12-13T10:00:00.000Z' },
    });
    expect(messageFromCaseEvent(asked, recipient)).toMatchObject({
      kind: 'case_resolved',
      rating: { expiresAt: new Date('2026-12-13T10:00:00.000Z') },
    });
  });

  it.each(internalTypes)('says nothing when our own detection opens or resolves a %s case', (caseType) => {
    expect(messageFromCaseEvent(caseOf('case.opened', caseType), recipient)).toBeNull();
    expect(
      messageFromCaseEvent(caseOf('case.resolved', caseType, { outcome: 'false_positive' }), recipient),
    ).toBeNull();
  });

  it.each([...customerTypes, ...internalTypes])('passes on a public note on a %s case', (caseType) => {
    const body = 'Please confirm\nthe last payment.';
    expect(messageFromCaseEvent(caseOf('case.public_note_added', caseType, { body }), recipient)).toEqual({
      kind: 'case_public_note',
      caseNumber: 'CASE-000123',
      body,
      ...recipient,
    });
  });

  it('tells the customer when the case starts waiting on them, and only then', () => {
    const updated = (changes: object[]) => caseOf('case.updated', 'suspected_theft', { changes });
    expect(
      messageFromCaseEvent(updated([{ field: 'status', from: 'open', to: 'pending_customer' }]), recipient),
    ).toEqual({ kind: 'case_waiting_on_customer', caseNumber: 'CASE-000123', ...recipient });
    expect(
      messageFromCaseEvent(
        updated([
          { field: 'priority', from: 'P3', to: 'P1' },
          { field: 'status', from: 'new', to: 'pending_customer' },
        ]),
        recipient,
      ),
    ).toMatchObject({ kind: 'case_waiting_on_customer' });
    expect(messageFromCaseEvent(updated([{ field: 'priority', from: 'P3', to: 'P1' }]), recipient)).toBeNull();
    expect(messageFromCaseEvent(updated([{ field: 'status', from: 'new', to: 'open' }]), recipient)).toBeNull();
    expect(
      messageFromCaseEvent(updated([{ field: 'assignee', from: null, to: 'pending_customer' }]), recipient),
    ).toBeNull();
    expect(
      messageFromCaseEvent(updated([{ field: 'status', from: 'pending_customer', to: 'pending_customer' }]), recipient),
    ).toBeNull();
  });

  it('keeps SLA breaches and reopenings internal', () => {
    const breached = caseOf('sla.breached', 'customer_complaint', { sla: 'first_response', dueAt: opened.occurredAt });
    expect(messageFromCaseEvent(breached, recipient)).toBeNull();
    expect(messageFromCaseEvent(caseOf('case.reopened', 'customer_complaint'), recipient)).toBeNull();
  });
});
