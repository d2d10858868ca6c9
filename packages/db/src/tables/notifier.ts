import type { Generated } from 'kysely';

/** One message on one channel: its attempts and outcome, never its body or token. */
export interface NotifierDeliveriesTable {
  id: string;
  event_id: string;
  channel: 'email' | 'webhook';
  account_id: string;
  case_id: string | null;
  kind: string;
  locale: string;
  /** The e-mail address (masked in API answers). */
  recipient: string;
  status: 'pending' | 'sending' | 'retrying' | 'sent' | 'failed';
  attempts: Generated<number>;
  created_at: Generated<Date>;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  server_response: string | null;
  last_error: string | null;
}

export interface NotifierTables {
  notifier_deliveries: NotifierDeliveriesTable;
}
