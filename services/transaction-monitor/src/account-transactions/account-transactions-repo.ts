import {
  type AccountTransaction,
  type AccountTransactionsQuery,
  cursorCodec,
  cursorInstant,
  type TransactionType,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { monitorErrors } from '../errors';

/** [occurred_at to the microsecond, transaction_id]: the order the account's transactions are listed in. */
const transactionCursor = cursorCodec(z.tuple([cursorInstant, z.string().min(1).max(128)]));

function listQuery(db: Kysely<Database>, accountId: string) {
  return (
    db
      .selectFrom('monitor_transactions as t')
      .select([
        't.transaction_id',
        't.type',
        't.amount_minor',
        't.currency',
        't.counterparty_id',
        't.counterparty_kind',
        't.occurred_at',
        // Microseconds, which a JS Date would drop: the cursor must name the exact row.
        sql<string>`to_char(t.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('occurred_at_exact'),
      ])
      .where('t.account_id', '=', accountId)
      // Rows applied before the monitor kept details have nothing a customer could recognise.
      .where('t.occurred_at', 'is not', null)
  );
}

type Row = Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirstOrThrow']>>;

type CounterpartyKind = NonNullable<AccountTransaction['counterparty']>['kind'];

function toAccountTransaction(row: Row): AccountTransaction {
  return {
    transactionId: row.transaction_id,
    type: row.type as TransactionType,
    amountMinor: String(row.amount_minor),
    currency: row.currency ?? '',
    counterparty:
      row.counterparty_id !== null && row.counterparty_kind !== null
        ? { id: row.counterparty_id, kind: row.counterparty_kind as CounterpartyKind }
        : null,
    occurredAt: (row.occurred_at as Date).toISOString(),
  };
}

/**
 * One account's applied transactions, newest first by the wallet's `occurredAt` (ties by
 * `transactionId`); `nextCursor` continues with older ones. Only `accountId`'s rows are ever read.
 * Throws `TXM_INVALID_CURSOR` (400) for a `before` this service did not issue.
 */
export async function listAccountTransactions(
  db: Kysely<Database>,
  accountId: string,
  query: AccountTransactionsQuery,
): Promise<{ items: AccountTransaction[]; nextCursor: string | null }> {
  let q = listQuery(db, accountId);
  if (query.before !== undefined) {
    const cursor = transactionCursor.decode(query.before);
    if (cursor === undefined) throw monitorErrors.invalidBefore();
    const [occurredAt, transactionId] = cursor;
    q = q.where(sql<boolean>`(t.occurred_at, t.transaction_id) < (${occurredAt}::timestamptz, ${transactionId}::text)`);
  }
  const rows = await q
    .orderBy('t.occurred_at', 'desc')
    .orderBy('t.transaction_id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toAccountTransaction),
    nextCursor:
      rows.length > query.limit && last
        ? transactionCursor.encode([last.occurred_at_exact, last.transaction_id])
        : null,
  };
}
