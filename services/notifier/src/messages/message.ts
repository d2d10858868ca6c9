import type {
  CaseEvent,
  CasePriority,
  CaseStatus,
  CaseType,
  ClientContext,
  MessageKind,
  Notification,
} from '@wallet-guard/contracts';

/** Who a message is for: the address and the BCP 47 tag they asked for (negotiated when rendering). */
export interface Recipient {
  email: string;
  locale: string;
}

/** The case types a customer starts (report, complaint, question, dispute): the ones they hear about. */
const CUSTOMER_CASE_TYPES = [
  'customer_complaint',
  'customer_theft_report',
  'customer_question',
  'transaction_dispute',
] as const satisfies readonly CaseType[];
export type CustomerCaseType = (typeof CUSTOMER_CASE_TYPES)[number];

/** Where a sign-in came from, as much as the wallet told auth. Untrusted text: rendered escaped. */
export type SignInOrigin = Pick<ClientContext, 'ip' | 'userAgent' | 'country'>;

/**
 * A message to one person (`email`, and `locale` as they asked for it: negotiated when rendering)
 * with exactly the data its template needs: the domain side of the notifier, before any language,
 * layout or channel. Tokens are only here and in the rendered link; nothing that stores or logs
 * should keep an `OutgoingMessage`.
 */
export type OutgoingMessage = Recipient & MessageBody;

type MessageBody =
  | { kind: 'unlock_link'; token: string; expiresAt: Date }
  | {
      /** psd2 profile: the last temporary lock before a permanent one, with the unlock link (RTS on SCA Art. 4(4)). */
      kind: 'lockout_final_warning';
      token: string;
      expiresAt: Date;
      lockedUntil: Date;
      failures: number;
    }
  | { kind: 'password_reset_link'; token: string; expiresAt: Date }
  | {
      kind: 'new_sign_in';
      signedInAt: Date;
      origin: SignInOrigin;
      freezeToken: string;
      freezeTokenExpiresAt: Date;
    }
  | { kind: 'password_changed'; changedAt: Date; freezeToken: string; freezeTokenExpiresAt: Date }
  | { kind: 'account_frozen'; frozenAt: Date }
  | {
      kind: 'two_factor_changed';
      change: 'enabled' | 'disabled' | 'recovery_codes_regenerated' | 'passkey_added' | 'passkey_removed';
      changedAt: Date;
      /** Absent from older producers: the message then points to the security page instead. */
      freeze: { token: string; expiresAt: Date } | null;
    }
  | { kind: 'recovery_codes_low'; remaining: number }
  | {
      /** A stepped-up sign-in's one-time code: in the body only, never in a link. */
      kind: 'sign_in_code';
      code: string;
      expiresAt: Date;
      requestedAt: Date;
      origin: SignInOrigin;
      freezeToken: string;
      freezeTokenExpiresAt: Date;
    }
  | { kind: 'case_opened'; caseNumber: string; caseType: CustomerCaseType }
  | { kind: 'case_public_note'; caseNumber: string; body: string }
  | { kind: 'case_waiting_on_customer'; caseNumber: string }
  | {
      kind: 'case_resolved';
      caseNumber: string;
      caseType: CustomerCaseType;
      /** Support asks for a rating until `expiresAt`: the e-mail carries one link per rating. */
      rating: { expiresAt: Date } | null;
    }
  | {
      /** To the desk's on-call address: a P1/P2 case missed its first response and went to the supervisors. */
      kind: 'oncall_escalation';
      caseNumber: string;
      caseType: CaseType;
      priority: CasePriority;
      dueAt: Date;
      from: CaseStatus;
    };

// Every kind of the contract has a variant here, and no other: a new kind fails the build.
type Exhaustive<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const kindsMatch: Exhaustive<OutgoingMessage['kind'], MessageKind> = true;
void kindsMatch;

/**
 * The message for one of auth's notifications (every type of `auth.notifications.v1`): the kind
 * is its type without `notification.`, the recipient its e-mail and requested locale. Pure; never
 * throws for a parsed event.
 */
export function messageFromNotification(event: Notification): OutgoingMessage {
  const p = event.payload;
  const to: Recipient = { email: p.email, locale: p.locale };
  const at = new Date(event.occurredAt);
  switch (event.type) {
    case 'notification.unlock_link':
      return { kind: 'unlock_link', ...to, token: event.payload.token, expiresAt: new Date(event.payload.expiresAt) };
    case 'notification.lockout_final_warning':
      return {
        kind: 'lockout_final_warning',
        ...to,
        token: event.payload.token,
        expiresAt: new Date(event.payload.expiresAt),
        lockedUntil: new Date(event.payload.lockedUntil),
        failures: event.payload.failures,
      };
    case 'notification.password_reset_link':
      return {
        kind: 'password_reset_link',
        ...to,
        token: event.payload.token,
        expiresAt: new Date(event.payload.expiresAt),
      };
    case 'notification.new_sign_in': {
      const { ip, userAgent, country } = event.payload.context;
      return {
        kind: 'new_sign_in',
        ...to,
        signedInAt: at,
        origin: { ip, userAgent, country },
        freezeToken: event.payload.freezeToken,
        freezeTokenExpiresAt: new Date(event.payload.freezeTokenExpiresAt),
      };
    }
    case 'notification.password_changed':
      return {
        kind: 'password_changed',
        ...to,
        changedAt: at,
        freezeToken: event.payload.freezeToken,
        freezeTokenExpiresAt: new Date(event.payload.freezeTokenExpiresAt),
      };
    case 'notification.account_frozen':
      return { kind: 'account_frozen', ...to, frozenAt: at };
    case 'notification.two_factor_changed': {
      const { change, freezeToken, freezeTokenExpiresAt } = event.payload;
      const freeze =
        freezeToken && freezeTokenExpiresAt ? { token: freezeToken, expiresAt: new Date(freezeTokenExpiresAt) } : null;
      return { kind: 'two_factor_changed', ...to, change, changedAt: at, freeze };
    }
    case 'notification.recovery_codes_low':
      return { kind: 'recovery_codes_low', ...to, remaining: event.payload.remaining };
    case 'notification.sign_in_code': {
      const { ip, userAgent, country } = event.payload.context;
      return {
        kind: 'sign_in_code',
        ...to,
        code: event.payload.code,
        expiresAt: new Date(event.payload.expiresAt),
        requestedAt: at,
        origin: { ip, userAgent, country },
        freezeToken: event.payload.freezeToken,
        freezeTokenExpiresAt: new Date(event.payload.freezeTokenExpiresAt),
      };
    }
  }
}

/**
 * The message a customer should get for a case event, or null when they should not hear of it.
 *
 * - `case.opened` of a case the customer started (complaint, theft report, question, dispute):
 *   `case_opened` with its number. Cases opened by our own detection (lockout, suspected theft,
 *   hijack, freeze) are not announced: the customer already got auth's message, and an e-mail
 *   saying "we suspect theft" would tip off whoever holds the account.
 * - `case.public_note_added`, any case type: `case_public_note` with the note (agents write public
 *   notes for the customer; internal notes never leave support-cases).
 * - `case.updated` whose `changes` move `status` to `pending_customer`, any case type:
 *   `case_waiting_on_customer` (an agent waits on them, so they must know).
 * - `case.resolved` of a case the customer started: `case_resolved`, with the rating links when
 *   support-cases asks for a rating (`satisfaction` in the event).
 * - Anything else (other updates such as priority or assignee, `case.reopened`, `sla.breached`,
 *   `sla.escalated`, which is for on-call, not the customer): null; those are internal bookkeeping.
 *
 * `recipient` comes from the account (auth), since case events carry no address. Pure; never throws.
 */
export function messageFromCaseEvent(event: CaseEvent, recipient: Recipient): OutgoingMessage | null {
  const to: Recipient = { email: recipient.email, locale: recipient.locale };
  const { caseNumber, caseType } = event.payload;
  switch (event.type) {
    case 'case.opened':
      return isCustomerCaseType(caseType) ? { kind: 'case_opened', ...to, caseNumber, caseType } : null;
    case 'case.public_note_added':
      return { kind: 'case_public_note', ...to, caseNumber, body: event.payload.body };
    case 'case.updated':
      return event.payload.changes.some(
        (c) => c.field === 'status' && c.to === 'pending_customer' && c.from !== 'pending_customer',
      )
        ? { kind: 'case_waiting_on_customer', ...to, caseNumber }
        : null;
    case 'case.resolved':
      if (!isCustomerCaseType(caseType)) return null;
      return {
        kind: 'case_resolved',
        ...to,
        caseNumber,
        caseType,
        rating: event.payload.satisfaction ? { expiresAt: new Date(event.payload.satisfaction.expiresAt) } : null,
      };
    case 'case.reopened':
    case 'sla.breached':
    case 'sla.escalated':
      return null;
  }
}

/**
 * The on-call alert for a case event, or null: `sla.escalated` with an on-call address
 * (CASES_ONCALL_EMAIL) becomes `oncall_escalation` to that address, in English (the desk's
 * working language for alerts; the case itself is in the console in the agent's language).
 * Every other event, and an escalation without an address, is null. Pure; never throws.
 */
export function onCallMessageFromCaseEvent(event: CaseEvent): OutgoingMessage | null {
  if (event.type !== 'sla.escalated' || !event.payload.onCall) return null;
  const { caseNumber, caseType, priority, dueAt, from } = event.payload;
  return {
    kind: 'oncall_escalation',
    email: event.payload.onCall.email,
    locale: 'en',
    caseNumber,
    caseType,
    priority,
    dueAt: new Date(dueAt),
    from,
  };
}

function isCustomerCaseType(type: CaseType): type is CustomerCaseType {
  return (CUSTOMER_CASE_TYPES as readonly CaseType[]).includes(type);
}
