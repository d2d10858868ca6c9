import { type ClientContext, createEvent, type EventInputOf, type NewEvent, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { enqueueEvents, type OutboxMessage } from '@wallet-guard/messaging';
import { sql, type Transaction } from 'kysely';

export const AUTH_PRODUCER = 'auth';

type SecurityInput = EventInputOf<typeof TOPICS.securityEvents>;
type NotificationInput = EventInputOf<typeof TOPICS.notifications>;
export type SecurityType = SecurityInput['type'];
export type NotificationType = NotificationInput['type'];
type PayloadOf<U, T> = Extract<U, { type: T }> extends { payload: infer P } ? P : never;

/** The account fields notifications address. */
export interface Recipient {
  id: string;
  email: string;
  locale: string;
}

/** A security event about `accountId`, validated against its contract now (a bug fails here, not downstream). */
export function securityEvent<T extends SecurityType>(
  type: T,
  accountId: string,
  payload: PayloadOf<SecurityInput, T>,
): OutboxMessage<typeof TOPICS.securityEvents> {
  const event = { type, version: 1, producer: AUTH_PRODUCER, accountId, payload };
  return {
    topic: TOPICS.securityEvents,
    event: createEvent(TOPICS.securityEvents, event as unknown as NewEvent<typeof TOPICS.securityEvents>),
  };
}

/** A message for the wallet to deliver to the account's owner (the only place tokens travel). */
export function notification<T extends NotificationType>(
  type: T,
  to: Recipient,
  payload: Omit<PayloadOf<NotificationInput, T>, 'email' | 'locale'>,
): OutboxMessage<typeof TOPICS.notifications> {
  const event = {
    type,
    version: 1,
    producer: AUTH_PRODUCER,
    accountId: to.id,
    payload: { email: to.email, locale: to.locale, ...payload },
  };
  return {
    topic: TOPICS.notifications,
    event: createEvent(TOPICS.notifications, event as unknown as NewEvent<typeof TOPICS.notifications>),
  };
}

/**
 * Stores the security events in the account's history and writes every message to the outbox,
 * inside the caller's transaction: all of it happens if and only if the state change commits.
 */
export async function publish(trx: Transaction<Database>, messages: readonly OutboxMessage[]): Promise<void> {
  const history = messages.flatMap((m) => (m.topic === TOPICS.securityEvents ? [m.event] : []));
  if (history.length > 0) {
    await trx
      .insertInto('auth_security_events')
      .values(
        history.map((event) => {
          const context = ((event.payload as { context?: ClientContext }).context ?? {}) as ClientContext;
          return {
            event_id: event.eventId,
            account_id: event.accountId,
            type: event.type,
            occurred_at: new Date(event.occurredAt),
            ip: context.ip ?? null,
            user_agent: context.userAgent ?? null,
            device_id: context.deviceId ?? null,
            event: JSON.stringify(event),
          };
        }),
      )
      .execute();
  }
  await enqueueEvents(trx, AUTH_PRODUCER, messages);
}

/**
 * `publish` inside a savepoint that is kept, or rolled back when `keep` is false: for the paths
 * that must cost what a real event costs without leaving one (a sign-in failure for an email with
 * no account, see `recordFailure`). Both ways send the same statements but the savepoint's last;
 * a rolled-back one stores and delivers nothing.
 */
export async function publishInSavepoint(
  trx: Transaction<Database>,
  messages: readonly OutboxMessage[],
  { keep }: { keep: boolean },
): Promise<void> {
  await sql`savepoint security_event`.execute(trx);
  await publish(trx, messages);
  if (keep) await sql`release savepoint security_event`.execute(trx);
  else await sql`rollback to savepoint security_event`.execute(trx);
}
