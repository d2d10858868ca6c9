import {
  type CaseEvent,
  caseEvent,
  exampleEvents,
  type Notification,
  notification,
  TOPICS,
  unlockLinkNotification,
} from '@wallet-guard/contracts';
import {
  messageFromCaseEvent,
  messageFromNotification,
  type OutgoingMessage,
  onCallMessageFromCaseEvent,
} from './message';

/**
 * Example events for every message kind, built from the contracts' own examples and parsed by
 * the contracts' schemas, so a template is always tried with data the real producers could send.
 * For tests and the docs generator, not for the service.
 */
const unlock = unlockLinkNotification.parse(exampleEvents[TOPICS.notifications]);
const opened = exampleEvents[TOPICS.caseEvents];
const token = unlock.payload.token;
const freeze = { freezeToken: 'fz_Q4mT7wZ1cV9bN3xK6pL0sD2fG8h', freezeTokenExpiresAt: '2026-11-30T10:00:00.000Z' };
const person = { email: unlock.payload.email, locale: unlock.payload.locale };

const notifications: Notification[] = [
  unlock,
  {
    ...unlock,
    type: 'notification.password_reset_link',
    payload: { ...person, token, expiresAt: unlock.payload.expiresAt },
  },
  {
    ...unlock,
    type: 'notification.new_sign_in',
    payload: {
      ...person,
      ...freeze,
      context: { ip: '198.51.100.23', userAgent: 'WalletApp/5.2 (iOS 18)', country: 'DE', deviceId: 'dev-7f3a' },
    },
  },
  { ...unlock, type: 'notification.password_changed', payload: { ...person, ...freeze } },
  { ...unlock, type: 'notification.account_frozen', payload: { ...person } },
  { ...unlock, type: 'notification.two_factor_changed', payload: { ...person, ...freeze, change: 'disabled' } },
  { ...unlock, type: 'notification.recovery_codes_low', payload: { ...person, remaining: 2 } },
  {
    ...unlock,
    type: 'notification.lockout_final_warning',
    payload: {
      ...person,
      token,
      expiresAt: unlock.payload.expiresAt,
      lockedUntil: '2026-11-23T10:30:00.000Z',
      failures: 5,
    },
  },
  {
    ...unlock,
    type: 'notification.sign_in_code',
    payload: {
      ...person,
      ...freeze,
      code: '428193',
      expiresAt: unlock.payload.expiresAt,
      context: { ip: '198.51.100.23', userAgent: 'WalletApp/5.2 (iOS 18)', country: 'DE' },
    },
  },
].map((event) => notification.parse(event));

const customerCase = { ...opened.payload, caseType: 'customer_theft_report', status: 'open', priority: 'P1' } as const;
const caseEvents: CaseEvent[] = [
  { ...opened, payload: { ...customerCase, status: 'new' } },
  {
    ...opened,
    type: 'case.public_note_added',
    payload: {
      ...customerCase,
      body: 'We have blocked the card linked to your wallet.\nPlease confirm the last payment you made yourself.',
    },
  },
  {
    ...opened,
    type: 'case.updated',
    payload: {
      ...customerCase,
      status: 'pending_customer',
      changes: [{ field: 'status', from: 'open', to: 'pending_customer' }],
    },
  },
  {
    ...opened,
    type: 'case.resolved',
    payload: {
      ...customerCase,
      status: 'resolved',
      outcome: 'confirmed_theft',
      satisfaction: { expiresAt: '2026-12-13T10:00:00.000Z' },
    },
  },
].map((event) => caseEvent.parse(event));

/** A P1 case that missed its first response, escalated with the desk's on-call address. */
const escalation = caseEvent.parse({
  ...opened,
  type: 'sla.escalated',
  payload: {
    ...customerCase,
    status: 'escalated',
    sla: 'first_response',
    dueAt: '2026-11-23T10:15:00.000Z',
    from: 'open',
    queue: 'supervisors',
    onCall: { email: 'oncall@example.com' },
  },
});

/** One message of every kind, addressed to someone who asked for `locale`. */
export function sampleMessages(locale: string): OutgoingMessage[] {
  const fromNotifications = notifications.map((event) =>
    messageFromNotification({ ...event, payload: { ...event.payload, locale } } as Notification),
  );
  const fromCases = caseEvents.flatMap((event) => messageFromCaseEvent(event, { email: person.email, locale }) ?? []);
  const onCall = onCallMessageFromCaseEvent(escalation);
  // The on-call alert is written for the desk, not the customer: in the locale asked for here too,
  // so every kind is tried in every language.
  return [...fromNotifications, ...fromCases, ...(onCall ? [{ ...onCall, locale }] : [])];
}
