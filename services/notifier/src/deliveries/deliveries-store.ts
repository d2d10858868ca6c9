import { randomUUID } from 'node:crypto';
import {
  cursorCodec,
  cursorInstant,
  type DeliveryChannel,
  type DeliveryView,
  type deliveriesQuery,
  type MessageKind,
} from '@wallet-guard/contracts';
import type { Database, NotifierDeliveriesTable } from '@wallet-guard/db';
import { type Kysely, type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { notifierErrors } from '../errors';

export type DeliveryRow = Selectable<NotifierDeliveriesTable>;

/** A message about to go out on one channel: what the row records (never the body or its token). */
export interface DeliveryTicket {
  eventId: string;
  channel: DeliveryChannel;
  accountId: string;
  caseId: string | null;
  kind: MessageKind;
  locale: string;
  recipient: string;
}

/**
 * The row of this event and channel, created `pending` if it is the first time the event is seen.
 * Idempotent on (eventId, channel): a redelivered event finds its row and what became of it.
 */
export async function claimDelivery(db: Kysely<Database>, ticket: DeliveryTicket, now: Date): Promise<DeliveryRow> {
  await db
    .insertInto('notifier_deliveries')
    .values({
      id: randomUUID(),
      event_id: ticket.eventId,
      channel: ticket.channel,
      account_id: ticket.accountId,
      case_id: ticket.caseId,
      kind: ticket.kind,
      locale: ticket.locale,
      recipient: ticket.recipient,
      status: 'pending',
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
    .execute();
  return db
    .selectFrom('notifier_deliveries')
    .selectAll()
    .where('event_id', '=', ticket.eventId)
    .where('channel', '=', ticket.channel)
    .executeTakeFirstOrThrow();
}

/**
 * Failed rows for a message that has nowhere to go (the account is gone), one per channel, so the
 * deliveries API tells support why nothing arrived. Idempotent on (eventId, channel).
 */
export async function recordUndeliverable(
  db: Kysely<Database>,
  channels: readonly DeliveryChannel[],
  message: Omit<DeliveryTicket, 'channel' | 'recipient'>,
  reason: string,
  now: Date,
): Promise<void> {
  if (channels.length === 0) return;
  await db
    .insertInto('notifier_deliveries')
    .values(
      channels.map((channel) => ({
        id: randomUUID(),
        event_id: message.eventId,
        channel,
        account_id: message.accountId,
        case_id: message.caseId,
        kind: message.kind,
        locale: message.locale,
        recipient: '',
        status: 'failed' as const,
        created_at: now,
        last_error: reason,
      })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
    .execute();
}

/** Records that attempt `attempt` starts now. */
export async function markSending(db: Kysely<Database>, id: string, attempt: number, now: Date): Promise<void> {
  await db
    .updateTable('notifier_deliveries')
    .set({ status: 'sending', attempts: attempt, last_attempt_at: now, next_attempt_at: null })
    .where('id', '=', id)
    .execute();
}

export async function markSent(db: Kysely<Database>, id: string, response: string, now: Date): Promise<void> {
  await db
    .updateTable('notifier_deliveries')
    .set({ status: 'sent', sent_at: now, server_response: response.slice(0, 500), next_attempt_at: null })
    .where('id', '=', id)
    .execute();
}

export async function markRetrying(
  db: Kysely<Database>,
  id: string,
  reason: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db
    .updateTable('notifier_deliveries')
    .set({ status: 'retrying', last_error: reason.slice(0, 500), next_attempt_at: nextAttemptAt })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Kysely<Database>, id: string, reason: string): Promise<void> {
  await db
    .updateTable('notifier_deliveries')
    .set({ status: 'failed', last_error: reason.slice(0, 500), next_attempt_at: null })
    .where('id', '=', id)
    .execute();
}

/** "a***e@example.com": enough for an agent to recognise the address, not enough to harvest it. */
function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  const local = address.slice(0, at);
  const masked = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${masked}${address.slice(at)}`;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    accountId: row.account_id,
    caseId: row.case_id,
    kind: row.kind as MessageKind,
    channel: row.channel,
    locale: row.locale,
    recipient: maskEmail(row.recipient),
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    lastAttemptAt: iso(row.last_attempt_at),
    sentAt: iso(row.sent_at),
    nextAttemptAt: iso(row.next_attempt_at),
    serverResponse: row.server_response,
    lastError: row.last_error,
  };
}

/** [created_at to the microsecond, id]: the keyset of `notifier_deliveries_account`. */
const deliveryCursor = cursorCodec(z.tuple([cursorInstant, z.uuid()]));

/**
 * An account's deliveries, newest first, optionally of one case; `nextCursor` continues after the
 * last item. Throws `NOTIFIER_INVALID_CURSOR` for a cursor this service did not issue.
 */
export async function listDeliveries(
  db: Kysely<Database>,
  query: z.output<typeof deliveriesQuery>,
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('notifier_deliveries')
    .selectAll()
    // Microseconds, which a JS Date would drop: the cursor must name the exact row.
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_exact'))
    .where('account_id', '=', query.accountId);
  if (query.caseId) q = q.where('case_id', '=', query.caseId);
  if (query.cursor) {
    const position = deliveryCursor.decode(query.cursor);
    if (!position) throw notifierErrors.invalidCursor();
    q = q.where(sql<boolean>`(created_at, id) < (${position[0]}::timestamptz, ${position[1]}::uuid)`);
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > query.limit && last ? deliveryCursor.encode([last.created_exact, last.id]) : null,
  };
}
