import {
  cursorCodec,
  cursorInstant,
  type FeedbackLabel,
  type FlagDetail,
  type FlagFeedback,
  type FlagFeedbackBody,
  type FlagListQuery,
  type MonitorFlag,
  microsecondCeiling,
  type RiskDecision,
  type TransactionType,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { monitorErrors } from '../errors';
import type { FlagRecord } from './flag-record';

/**
 * Writes the batch's flags in one statement (one JSON parameter, so no chunk size meets the
 * protocol's parameter limit); a transaction already flagged keeps its flag.
 */
export async function insertFlags(trx: Transaction<Database>, flags: readonly FlagRecord[]): Promise<void> {
  if (flags.length === 0) return;
  await sql`
    insert into monitor_flags (id, transaction_id, account_id, transaction_type, amount_minor, currency, score,
      decision, shadow_score, shadow_decision, reasons, security_event_ids, rules_version, lists_version,
      counterparty_kind, counterparty_id, occurred_at)
    select * from jsonb_to_recordset(${JSON.stringify(flags)}::jsonb) as f (
      "id" uuid, "transactionId" text, "accountId" uuid, "transactionType" text, "amountMinor" bigint, currency text,
      score smallint, decision text, "shadowScore" smallint, "shadowDecision" text, reasons jsonb,
      "securityEventIds" jsonb, "rulesVersion" text, "listsVersion" bigint, "counterpartyKind" text,
      "counterpartyId" text, "occurredAt" timestamptz
    )
    on conflict (transaction_id) do nothing`.execute(trx);
}

function flagsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('monitor_flags as f')
    .selectAll('f')
    .select((eb) => [
      eb
        .selectFrom('monitor_flag_feedback as fb')
        .select('fb.label')
        .whereRef('fb.flag_id', '=', 'f.id')
        .orderBy('fb.created_at', 'desc')
        .limit(1)
        .as('label'),
      // Microseconds, which a JS Date would drop: the cursor must name the exact row.
      sql<string>`to_char(f.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_at_exact'),
    ]);
}

type FlagRow = Awaited<ReturnType<ReturnType<typeof flagsQuery>['executeTakeFirstOrThrow']>>;

function toFlag(row: FlagRow): MonitorFlag {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    accountId: row.account_id,
    transactionType: row.transaction_type as TransactionType,
    amountMinor: row.amount_minor,
    currency: row.currency,
    score: row.score,
    decision: row.decision as RiskDecision,
    shadowScore: row.shadow_score,
    shadowDecision: row.shadow_decision as RiskDecision,
    reasons: row.reasons,
    securityEventIds: row.security_event_ids,
    rulesVersion: row.rules_version,
    listsVersion: row.lists_version === null ? null : Number(row.lists_version),
    counterparty:
      row.counterparty_kind === null || row.counterparty_id === null
        ? null
        : { kind: row.counterparty_kind as NonNullable<MonitorFlag['counterparty']>['kind'], id: row.counterparty_id },
    occurredAt: row.occurred_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    label: (row.label as FeedbackLabel | null) ?? null,
  };
}

/** [created_at to the microsecond, id]: the keyset of `monitor_flags_created`. */
const flagCursor = cursorCodec(z.tuple([cursorInstant, z.uuid()]));

const encodeCursor = (row: FlagRow) => flagCursor.encode([row.created_at_exact, row.id]);

function decodeCursor(cursor: string): [string, string] {
  const value = flagCursor.decode(cursor);
  if (value === undefined) throw monitorErrors.invalidCursor();
  return value;
}

/** Flags newest first, filtered; `nextCursor` continues after the last item. Throws `TXM_INVALID_CURSOR`. */
export async function listFlags(
  db: Kysely<Database>,
  query: FlagListQuery,
): Promise<{ items: MonitorFlag[]; nextCursor: string | null }> {
  let q = flagsQuery(db);
  if (query.accountId) q = q.where('f.account_id', '=', query.accountId);
  if (query.transactionId) q = q.where('f.transaction_id', '=', query.transactionId);
  if (query.decision) q = q.where('f.decision', '=', query.decision);
  // Exact to the microsecond Postgres keeps: a Date would cut `since` to the millisecond and let
  // in flags created just before it.
  if (query.since) q = q.where(sql<boolean>`f.created_at >= ${microsecondCeiling(query.since)}::timestamptz`);
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor);
    q = q.where(sql<boolean>`(f.created_at, f.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toFlag), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/** An account's latest flags, newest first. */
export async function latestFlags(db: Kysely<Database>, accountId: string, limit: number): Promise<MonitorFlag[]> {
  const rows = await flagsQuery(db)
    .where('f.account_id', '=', accountId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toFlag);
}

type FeedbackRow = {
  id: string;
  flag_id: string;
  label: string;
  actor: string;
  case_id: string | null;
  note: string | null;
  created_at: Date;
};

const toFeedback = (row: FeedbackRow): FlagFeedback => ({
  id: row.id,
  flagId: row.flag_id,
  label: row.label as FeedbackLabel,
  actor: row.actor,
  caseId: row.case_id,
  note: row.note,
  createdAt: row.created_at.toISOString(),
});

/** One flag with every label it was given (oldest first), or null. */
export async function getFlagDetail(db: Kysely<Database>, id: string): Promise<FlagDetail | null> {
  const row = await flagsQuery(db).where('f.id', '=', id).executeTakeFirst();
  if (!row) return null;
  const feedback = await db
    .selectFrom('monitor_flag_feedback')
    .selectAll()
    .where('flag_id', '=', id)
    .orderBy('created_at')
    .execute();
  return { ...toFlag(row), feedback: feedback.map(toFeedback) };
}

/** Records a label on a flag; null when there is no such flag (checked in the same statement). */
export async function addFeedback(
  db: Kysely<Database>,
  flagId: string,
  body: FlagFeedbackBody,
): Promise<FlagFeedback | null> {
  const row = await db
    .insertInto('monitor_flag_feedback')
    .columns(['flag_id', 'label', 'actor', 'case_id', 'note'])
    .expression((eb) =>
      eb
        .selectFrom('monitor_flags')
        .select([
          'id',
          sql<string>`${body.label}::text`.as('label'),
          sql<string>`${body.actor}::text`.as('actor'),
          sql<string | null>`${body.caseId ?? null}::text`.as('case_id'),
          sql<string | null>`${body.note ?? null}::text`.as('note'),
        ])
        .where('id', '=', flagId),
    )
    .returningAll()
    .executeTakeFirst();
  return row ? toFeedback(row) : null;
}
