import type { CasesTable, CaseTimelineTable, Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import { type CaseRecord, toCaseRecord } from './case-record';
import type { CasePriority, CaseStatus, CaseType } from './case-rules';

type Db = Kysely<Database> | Transaction<Database>;

/** The open case holding one of `keys` (the oldest key wins); with `accountId`, only a case of that account. */
export async function findOpenCaseByKeys(
  trx: Transaction<Database>,
  keys: readonly string[],
  accountId?: string,
): Promise<string | undefined> {
  if (keys.length === 0) return undefined;
  let query = trx
    .selectFrom('case_incident_keys as k')
    .select('k.case_id')
    .where('k.incident_key', 'in', keys)
    .where('k.open', '=', true);
  if (accountId !== undefined) {
    query = query.innerJoin('cases as c', 'c.id', 'k.case_id').where('c.account_id', '=', accountId);
  }
  const row = await query.orderBy('k.added_at').executeTakeFirst();
  return row?.case_id;
}

/**
 * Takes an incident key for a case. False when another open case already holds it: the
 * partial unique index decides, so of two racing transactions exactly one wins (the loser
 * waits for the winner to commit, then sees the conflict).
 */
export async function claimIncidentKey(
  trx: Transaction<Database>,
  key: string,
  caseId: string,
  at: Date,
): Promise<boolean> {
  const inserted = await sql<{ case_id: string }>`
    insert into case_incident_keys (incident_key, case_id, added_at) values (${key}, ${caseId}, ${at})
    on conflict (incident_key) where open do nothing
    returning case_id`.execute(trx);
  return inserted.rows.length === 1;
}

export async function closeIncidentKeys(trx: Transaction<Database>, caseId: string): Promise<void> {
  await trx.updateTable('case_incident_keys').set({ open: false }).where('case_id', '=', caseId).execute();
}

/** Reopens a case's keys that no other open case has taken since. */
export async function reopenIncidentKeys(trx: Transaction<Database>, caseId: string): Promise<void> {
  await sql`
    update case_incident_keys k set open = true
    where k.case_id = ${caseId} and not k.open
      and not exists (select 1 from case_incident_keys o where o.incident_key = k.incident_key and o.open)`.execute(
    trx,
  );
}

export interface NewCase {
  id: string;
  type: CaseType;
  priority: CasePriority;
  status: CaseStatus;
  accountId: string;
  summary: string;
  locale: string | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  openedAt: Date;
  /** The calendar settings version the deadlines were computed with. */
  slaCalendarVersion?: number | null;
}

export async function insertCase(trx: Transaction<Database>, c: NewCase): Promise<CaseRecord> {
  const row = await trx
    .insertInto('cases')
    .values({
      id: c.id,
      type: c.type,
      priority: c.priority,
      status: c.status,
      account_id: c.accountId,
      summary: c.summary,
      locale: c.locale,
      first_response_due_at: c.firstResponseDueAt,
      resolution_due_at: c.resolutionDueAt,
      opened_at: c.openedAt,
      updated_at: c.openedAt,
      sla_calendar_version: c.slaCalendarVersion ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCaseRecord(row);
}

export async function getCase(db: Db, id: string): Promise<CaseRecord | undefined> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCaseRecord(row);
}

/** Reads a case and locks its row until the transaction ends: changes to one case are serial. */
export async function lockCase(trx: Transaction<Database>, id: string): Promise<CaseRecord | undefined> {
  const row = await trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toCaseRecord(row);
}

/** Changes a case; `at` (the change's time, from the clock) becomes its `updated_at`. */
export async function updateCase(
  trx: Transaction<Database>,
  id: string,
  patch: Omit<Updateable<CasesTable>, 'id' | 'number' | 'next_due_at' | 'updated_at'>,
  at: Date,
): Promise<CaseRecord> {
  const row = await trx
    .updateTable('cases')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCaseRecord(row);
}

export interface TimelineEntry {
  actor: string;
  kind: string;
  visibility?: 'internal' | 'public';
  oldValue?: unknown;
  newValue?: unknown;
  body?: string;
  data?: Record<string, unknown>;
}

/** Appends entries made `at` (from the clock), in order; returns their ids (bigint as string), in the same order. */
export async function appendTimeline(
  trx: Transaction<Database>,
  caseId: string,
  entries: readonly TimelineEntry[],
  at: Date,
): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = await trx
    .insertInto('case_timeline')
    .values(
      entries.map((e) => ({
        case_id: caseId,
        at,
        actor: e.actor,
        kind: e.kind,
        visibility: e.visibility ?? 'internal',
        old_value: e.oldValue === undefined ? null : JSON.stringify(e.oldValue),
        new_value: e.newValue === undefined ? null : JSON.stringify(e.newValue),
        body: e.body ?? null,
        data: JSON.stringify(e.data ?? {}),
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
}

export type EvidenceKind = 'security_event' | 'flag' | 'transaction' | 'case';
export interface Evidence {
  kind: EvidenceKind;
  ref: string;
}

export async function addEvidence(
  trx: Transaction<Database>,
  caseId: string,
  evidence: readonly Evidence[],
  at: Date,
): Promise<void> {
  if (evidence.length === 0) return;
  await trx
    .insertInto('case_evidence')
    .values(evidence.map((e) => ({ case_id: caseId, kind: e.kind, ref: e.ref, added_at: at })))
    .onConflict((oc) => oc.columns(['case_id', 'kind', 'ref']).doNothing())
    .execute();
}

export async function listEvidence(db: Db, caseId: string): Promise<Evidence[]> {
  return db
    .selectFrom('case_evidence')
    .select(['kind', 'ref'])
    .where('case_id', '=', caseId)
    .orderBy('added_at')
    .orderBy('ref')
    .execute();
}

export type TimelineRow = Pick<CaseTimelineTable, 'actor' | 'kind' | 'body'> & {
  id: string;
  at: Date;
  visibility: 'internal' | 'public';
  oldValue: unknown;
  newValue: unknown;
  data: Record<string, unknown>;
};

export async function listTimeline(
  db: Db,
  caseId: string,
  options: { publicOnly?: boolean } = {},
): Promise<TimelineRow[]> {
  let query = db.selectFrom('case_timeline').selectAll().where('case_id', '=', caseId);
  if (options.publicOnly) query = query.where('visibility', '=', 'public');
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    visibility: r.visibility,
    oldValue: r.old_value,
    newValue: r.new_value,
    body: r.body,
    data: r.data,
  }));
}
