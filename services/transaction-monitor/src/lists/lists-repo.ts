import { randomUUID } from 'node:crypto';
import {
  type AddListEntryBody,
  type ChangeListEntryBody,
  canonicalListValue,
  cursorCodec,
  cursorInstant,
  type ListAction,
  type ListAuditPage,
  type ListAuditQuery,
  type ListAuditRecord,
  type ListEntriesPage,
  type ListEntriesQuery,
  type ListEntry,
  type ListKind,
  type RemoveListEntryBody,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { monitorErrors } from '../errors';
import type { ListedEntry } from './lists-snapshot';

type Reader = Kysely<Database> | Transaction<Database>;

/** The lists' current version (0 until the first change). One primary-key read. */
export async function readListsVersion(db: Reader): Promise<number> {
  const row = await db.selectFrom('monitor_lists_version').select('version').executeTakeFirstOrThrow();
  return Number(row.version);
}

/**
 * The version and the live entries (not removed; expired ones too, the rules judge expiry on each
 * transaction's time) in ONE statement, so the entries are exactly those of that version.
 */
export async function readListsInForce(db: Reader): Promise<{ version: number; entries: ListedEntry[] }> {
  const { rows } = await sql<{
    version: string;
    entries: Array<Omit<ListedEntry, 'expiresAt'> & { expiresAt: string | null }>;
  }>`
    select v.version, coalesce((
      select jsonb_agg(jsonb_build_object('id', e.id, 'kind', e.kind, 'value', e.value, 'action', e.action,
        'reason', e.reason, 'expiresAt', e.expires_at))
      from monitor_list_entries e where e.removed_at is null), '[]'::jsonb) as entries
    from monitor_lists_version v`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('monitor_lists_version has no row: migration 20261130140000_monitor_lists not applied');
  return {
    version: Number(row.version),
    entries: row.entries.map((e) => ({ ...e, expiresAt: e.expiresAt === null ? null : Date.parse(e.expiresAt) })),
  };
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entriesQuery>['executeTakeFirstOrThrow']>>;

function entriesQuery(db: Reader) {
  return db.selectFrom('monitor_list_entries as e').selectAll('e').select(
    // Microseconds, which a JS Date would drop: the cursor must name the exact row.
    sql<string>`to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_at_exact'),
  );
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function toEntry(row: Omit<EntryRow, 'created_at_exact'>): ListEntry {
  return {
    id: row.id,
    kind: row.kind as ListKind,
    value: row.value,
    action: row.action as ListAction,
    reason: row.reason,
    author: row.author,
    expiresAt: iso(row.expires_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    version: Number(row.version),
    removedAt: iso(row.removed_at),
    removedBy: row.removed_by,
  };
}

/** [created_at to the microsecond, id]: the keyset of `monitor_list_entries_created`. */
const entryCursor = cursorCodec(z.tuple([cursorInstant, z.uuid()]));

/** Entries newest first, filtered; `nextCursor` continues after the last item. Throws `TXM_INVALID_CURSOR`. */
export async function listEntries(db: Kysely<Database>, query: ListEntriesQuery): Promise<ListEntriesPage> {
  let q = entriesQuery(db);
  if (query.kind) q = q.where('e.kind', '=', query.kind);
  if (query.action) q = q.where('e.action', '=', query.action);
  if (!query.includeRemoved) q = q.where('e.removed_at', 'is', null);
  if (query.cursor) {
    const cursor = entryCursor.decode(query.cursor);
    if (cursor === undefined) throw monitorErrors.invalidCursor();
    q = q.where(sql<boolean>`(e.created_at, e.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)`);
  }
  const [rows, listsVersion] = await Promise.all([
    q
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(query.limit + 1)
      .execute(),
    readListsVersion(db),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > query.limit && last ? entryCursor.encode([last.created_at_exact, last.id]) : null,
    listsVersion,
  };
}

/** One entry, removed ones too; null when there is none. */
export async function getEntry(db: Kysely<Database>, id: string): Promise<ListEntry | null> {
  const row = await entriesQuery(db).where('e.id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : null;
}

/**
 * The next lists version. The update takes the version row's lock until the transaction ends, so
 * concurrent changes queue here and each gets its own, increasing version; a change that fails
 * later rolls its bump back with it.
 */
async function bumpVersion(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .updateTable('monitor_lists_version')
    .set({ version: sql<string>`version + 1` })
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

async function audit(
  trx: Transaction<Database>,
  record: Omit<ListAuditRecord, 'at' | 'note'> & { note?: string | undefined },
): Promise<void> {
  await trx
    .insertInto('monitor_list_audit')
    .values({
      version: record.version,
      entry_id: record.entryId,
      operation: record.operation,
      actor: record.actor,
      note: record.note ?? null,
      before: record.before === null ? null : JSON.stringify(record.before),
      after: JSON.stringify(record.after),
    })
    .execute();
}

function checkExpiry(expiresAt: string | null | undefined, now: Date): Date | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  const at = new Date(expiresAt);
  if (at.getTime() <= now.getTime()) throw monitorErrors.listExpiryInPast();
  return at;
}

/**
 * Adds an entry, its audit record and a new lists version, all in one transaction. Throws
 * `TXM_LIST_INVALID_VALUE` (the value does not fit its kind), `TXM_LIST_EXPIRY_IN_PAST` (at `now`),
 * `TXM_LIST_ENTRY_EXISTS` (a live entry of that kind and value: the partial unique index decides,
 * so of two racing adds exactly one wins).
 */
export async function addEntry(db: Kysely<Database>, body: AddListEntryBody, now: Date): Promise<ListEntry> {
  const value = canonicalListValue(body.kind, body.value);
  if (!value.ok) throw monitorErrors.invalidListValue(value.problem);
  const expiresAt = checkExpiry(body.expiresAt, now);
  return db.transaction().execute(async (trx) => {
    const version = await bumpVersion(trx);
    const row = await trx
      .insertInto('monitor_list_entries')
      .values({
        id: randomUUID(),
        kind: body.kind,
        value: value.value,
        action: body.action,
        reason: body.reason,
        author: body.author,
        expires_at: expiresAt,
        updated_by: body.author,
        version,
      })
      .onConflict((oc) => oc.columns(['kind', 'value']).where('removed_at', 'is', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const existing = await trx
        .selectFrom('monitor_list_entries')
        .select('id')
        .where('kind', '=', body.kind)
        .where('value', '=', value.value)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      throw monitorErrors.listEntryExists(existing.id);
    }
    const entry = toEntry(row);
    await audit(trx, {
      version,
      entryId: entry.id,
      operation: 'added',
      actor: body.author,
      before: null,
      after: entry,
    });
    return entry;
  });
}

/** The entry, locked for the change; throws `TXM_LIST_ENTRY_NOT_FOUND` or `TXM_LIST_ENTRY_REMOVED`. */
async function lockLiveEntry(trx: Transaction<Database>, id: string): Promise<ListEntry> {
  const row = await trx
    .selectFrom('monitor_list_entries')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw monitorErrors.listEntryNotFound(id);
  if (row.removed_at !== null) throw monitorErrors.listEntryRemoved(id);
  return toEntry(row);
}

/** Changes an entry's action, reason or expiry (`null` clears it), audited with a new lists version. */
export async function changeEntry(
  db: Kysely<Database>,
  id: string,
  body: ChangeListEntryBody,
  now: Date,
): Promise<ListEntry> {
  const expiresAt = body.expiresAt === undefined ? undefined : checkExpiry(body.expiresAt, now);
  return db.transaction().execute(async (trx) => {
    const before = await lockLiveEntry(trx, id);
    const version = await bumpVersion(trx);
    const row = await trx
      .updateTable('monitor_list_entries')
      .set({
        ...(body.action === undefined ? {} : { action: body.action }),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
        updated_at: sql<Date>`now()`,
        updated_by: body.author,
        version,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toEntry(row);
    await audit(trx, { version, entryId: id, operation: 'changed', actor: body.author, before, after });
    return after;
  });
}

/** Removes an entry (soft: it stays readable), audited with a new lists version. */
export async function removeEntry(db: Kysely<Database>, id: string, body: RemoveListEntryBody): Promise<ListEntry> {
  return db.transaction().execute(async (trx) => {
    const before = await lockLiveEntry(trx, id);
    const version = await bumpVersion(trx);
    const row = await trx
      .updateTable('monitor_list_entries')
      .set({
        removed_at: sql<Date>`now()`,
        removed_by: body.author,
        updated_at: sql<Date>`now()`,
        updated_by: body.author,
        version,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toEntry(row);
    await audit(trx, {
      version,
      entryId: id,
      operation: 'removed',
      actor: body.author,
      note: body.reason,
      before,
      after,
    });
    return after;
  });
}

/** The version of the last record shown (bigint in Postgres, a safe integer in JSON). */
const auditCursor = cursorCodec(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** The audit trail newest change first, for one entry or all. Throws `TXM_INVALID_CURSOR`. */
export async function listAudit(db: Kysely<Database>, query: ListAuditQuery): Promise<ListAuditPage> {
  let q = db.selectFrom('monitor_list_audit').selectAll();
  if (query.entryId) q = q.where('entry_id', '=', query.entryId);
  if (query.cursor) {
    const before = auditCursor.decode(query.cursor);
    if (before === undefined) throw monitorErrors.invalidCursor();
    q = q.where('version', '<', String(before));
  }
  const rows = await q
    .orderBy('version', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      version: Number(row.version),
      entryId: row.entry_id,
      operation: row.operation as ListAuditRecord['operation'],
      actor: row.actor,
      at: row.at.toISOString(),
      note: row.note,
      before: row.before as ListEntry | null,
      after: row.after as ListEntry,
    })),
    nextCursor: rows.length > query.limit && last ? auditCursor.encode(Number(last.version)) : null,
  };
}

/**
 * The live entries as they were at lists version `version`, rebuilt from the audit trail (each
 * record holds the entry after the change): what a backtest needs to score a past transaction
 * with the lists its flag recorded. Entries removed by then are left out.
 */
export async function readListsAtVersion(db: Reader, version: number): Promise<ListedEntry[]> {
  const rows = await db
    .selectFrom('monitor_list_audit')
    .distinctOn('entry_id')
    .select(['entry_id', 'after'])
    .where('version', '<=', String(version))
    .orderBy('entry_id')
    .orderBy('version', 'desc')
    .execute();
  return rows
    .map((r) => r.after as ListEntry)
    .filter((e) => e.removedAt === null)
    .map((e) => ({
      id: e.id,
      kind: e.kind,
      value: e.value,
      action: e.action,
      reason: e.reason,
      expiresAt: e.expiresAt === null ? null : Date.parse(e.expiresAt),
    }));
}
