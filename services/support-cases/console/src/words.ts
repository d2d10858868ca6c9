// Everything the console says about codes, in plain words. One place, so that a new case type,
// rule or error code is one line here.
import type {
  CaseOutcome,
  CasePriority,
  CaseStatus,
  CaseType,
  DeliveryChannel,
  MessageKind,
  VerificationMethod,
} from '@wallet-guard/contracts';

export const CASE_TYPE_WORDS: Record<CaseType, string> = {
  account_lockout: 'Account locked out',
  account_frozen: 'Account frozen',
  session_hijack_suspected: 'Session hijack suspected',
  suspected_theft: 'Suspected theft',
  customer_complaint: 'Customer complaint',
  customer_theft_report: 'Theft reported by customer',
  customer_question: 'Customer question',
  transaction_dispute: 'Transaction dispute',
};

export const STATUS_WORDS: Record<CaseStatus, string> = {
  new: 'New',
  open: 'Open',
  pending_customer: 'Waiting for customer',
  escalated: 'Escalated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const PRIORITY_WORDS: Record<CasePriority, string> = {
  P1: 'P1 urgent',
  P2: 'P2 high',
  P3: 'P3 normal',
  P4: 'P4 low',
};

export const OUTCOME_WORDS: Record<CaseOutcome, string> = {
  confirmed_theft: 'Confirmed theft',
  false_positive: 'False positive',
  customer_error: 'Customer error',
  unlocked: 'Unlocked after identity check',
  inconclusive: 'Inconclusive',
  self_unlocked: 'Customer unlocked it themselves',
};

/** How the agent confirmed who they were talking to (the unlock route's `verification.method`). */
export const VERIFICATION_WORDS: Record<VerificationMethod, string> = {
  id_document: 'ID document checked',
  video_call: 'Video call',
  callback_registered_phone: 'Call-back on the registered phone',
  security_questions: 'Security questions',
  in_app_confirmation: 'Confirmation in the app',
};

/** What the notifier sent the customer, as the customer would name it. */
export const MESSAGE_KIND_WORDS: Record<MessageKind, string> = {
  unlock_link: 'Unlock link',
  password_reset_link: 'Password reset link',
  new_sign_in: 'Was this you? (new sign-in)',
  password_changed: 'Password changed',
  account_frozen: 'Account frozen',
  two_factor_changed: 'Two-factor changed',
  recovery_codes_low: 'Few recovery codes left',
  case_opened: 'Case opened',
  case_public_note: 'Agent reply',
  case_waiting_on_customer: 'Waiting for the customer’s answer',
  case_resolved: 'Case resolved',
};

export const CHANNEL_WORDS: Record<DeliveryChannel, string> = {
  email: 'E-mail',
  webhook: 'Wallet app (webhook)',
};

/** The monitor's rules (services/transaction-monitor/README.md), named for a person. */
const RULE_WORDS: Record<string, string> = {
  amount_outlier: 'Unusually large amount',
  velocity: 'Many payments in a short time',
  new_counterparty_large: 'Large payment to a new recipient',
  after_security_change: 'Right after a security change',
  balance_drain: 'Empties the balance',
  impossible_travel: 'Impossible travel',
  new_device_or_country: 'New device or country',
  test_then_large: 'Small test payments, then a large one',
  structuring: 'Amounts kept just below the reporting limit',
  dormant_reactivation: 'Dormant account suddenly active',
};
export const ruleWords = (rule: string) => RULE_WORDS[rule] ?? rule.replaceAll('_', ' ');

export const DECISION_WORDS: Record<string, string> = {
  allow: 'allowed',
  review: 'needs review',
  suspected_theft: 'suspected theft',
};

const EVENT_WORDS: Record<string, string> = {
  'account.created': 'Account created',
  'sign_in.succeeded': 'Signed in',
  'sign_in.failed': 'Sign-in failed',
  'account.locked': 'Account locked',
  'account.unlocked': 'Account unlocked',
  'password.changed': 'Password changed',
  'password.reset_requested': 'Password reset requested',
  'password.reset': 'Password reset',
  'totp.enabled': 'Two-factor turned on',
  'totp.disabled': 'Two-factor turned off',
  'recovery_codes.regenerated': 'New recovery codes',
  'recovery_code.used': 'Recovery code used',
  'account.frozen': 'Account frozen',
  'account.unfrozen': 'Account unfrozen',
  'refresh_token.reused': 'Stolen refresh token replayed',
};
export const eventWords = (type: string) => EVENT_WORDS[type] ?? type;

const TIMELINE_WORDS: Record<string, string> = {
  opened: 'Case opened',
  occurrence: 'Happened again',
  linked: 'Linked incident joined',
  priority_changed: 'Priority changed',
  assigned: 'Assigned',
  status_changed: 'Status changed',
  note: 'Note',
  escalated: 'Escalated',
  resolved: 'Resolved',
  reopened: 'Reopened',
  sla_breached: 'SLA breached',
  action_requested: 'Action requested',
  action_failed: 'Action failed',
  account_unlocked: 'Account unlocked',
  account_frozen: 'Account frozen',
  account_unfrozen: 'Account unfrozen',
  transaction_labelled: 'Transaction labelled',
};
export const timelineWords = (kind: string) => TIMELINE_WORDS[kind] ?? kind.replaceAll('_', ' ');

/** "agent:ada" -> "ada (agent)". */
export function actorWords(actor: string): string {
  if (actor.startsWith('agent:')) return `${actor.slice(6)} (agent)`;
  return actor === 'system' ? 'System' : actor === 'customer' ? 'Customer' : actor;
}

const ERROR_WORDS: Record<string, string> = {
  CASE_UNAUTHENTICATED: 'Your token is missing, invalid or expired: sign in again.',
  CASE_FORBIDDEN: 'Your role does not allow this.',
  CASE_NOT_FOUND: 'There is no such case.',
  CASE_ALREADY_CLAIMED: 'Another agent holds this case.',
  CASE_CLOSED: 'The case is resolved or closed: reopen it first.',
  CASE_INVALID_TRANSITION: 'The case cannot move to that state from where it is.',
  CASE_ACCOUNT_FROZEN: 'The account is frozen: a supervisor must unfreeze it; unlocking does not apply.',
  CASE_ACCOUNT_NOT_FOUND: 'Auth or the monitor does not know this account or transaction.',
  CASE_FLAG_NOT_FOUND: 'This flag is not one of this case’s account.',
  CASE_ACTION_REJECTED: 'The other service refused the action.',
  CASE_UPSTREAM_UNAVAILABLE: 'Auth or the monitor did not answer: try again in a moment.',
  CASE_VALIDATION_FAILED: 'Some fields are missing or invalid.',
  CASE_INVALID_CURSOR: 'The list moved on: reload the queue.',
  CONSOLE_OFFLINE: 'support-cases did not answer: check your connection.',
  CONSOLE_UNEXPECTED_ANSWER: 'support-cases answered in a shape this console does not know: reload the page.',
};
export const errorWords = (code: string) => ERROR_WORDS[code] ?? 'Something went wrong on our side.';
