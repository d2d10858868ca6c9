// Data access of a merge: what moves from the duplicate to its survivor, in the merge's transaction.
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Takes the per-account lock that `recordIncident` takes before it looks for an open case, so an
 * incident of the account is applied either wholly before the merge (and moves with it) or wholly
 * after (and finds the keys on the survivor). Held until commit.
 */
export async function lockAccountIncidents(trx: Transaction<Database>, accountId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`incident:${accountId}`}, 0))`.execute(trx);
}

/**
 * Locks both case rows, lower id first: two merges of the same pair in opposite directions (or a
 * merge beside any single-case action) then wait for each other instead of deadlocking.
 */
export async function lockPairInIdOrder(trx: Transaction<Database>, a: string, b: string): Promise<void> {
  await trx.selectFrom('cases').select('id').where('id', 'in', [a, b]).orderBy('id').forUpdate().execute();
}

/**
 * Copies every timeline entry of the duplicate onto the survivor, in their order, each with its
 * original time, actor, visibility and values, and `data.mergedFrom` naming where it came from.
 * The timeline is append-only (a trigger refuses UPDATE), so the duplicate keeps its own entries:
 * both cases tell the whole story. Returns how many entries were copied.
 */
export async function copyTimeline(
  trx: Transaction<Database>,
  from: { id: string; number: string },
  intoId: string,
): Promise<number> {
  const result = await sql`
    insert into case_timeline (case_id, at, actor, kind, visibility, old_value, new_value, body, data)
    select ${intoId}, t.at, t.actor, t.kind, t.visibility, t.old_value, t.new_value, t.body,
           t.data || jsonb_build_object('mergedFrom',
             jsonb_build_object('caseId', ${from.id}::text, 'caseNumber', ${from.number}::text, 'entryId', t.id::text))
    from case_timeline t
    where t.case_id = ${from.id}
    order by t.id`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Moves the duplicate's evidence to the survivor (what the survivor already links stays once). */
export async function moveEvidence(trx: Transaction<Database>, fromId: string, intoId: string): Promise<void> {
  await sql`
    insert into case_evidence (case_id, kind, ref, added_at)
    select ${intoId}, kind, ref, added_at from case_evidence where case_id = ${fromId}
    on conflict (case_id, kind, ref) do nothing`.execute(trx);
  await trx.deleteFrom('case_evidence').where('case_id', '=', fromId).execute();
}

/**
 * Moves the duplicate's open incident keys to the survivor: the duplicate's rows close (kept as
 * history), then the survivor holds each key open, so a later event with that key lands on the
 * survivor. Two statements in this order: the partial unique index on open keys admits one open
 * holder at a time. Returns the keys moved.
 */
export async function moveIncidentKeys(
  trx: Transaction<Database>,
  fromId: string,
  intoId: string,
  at: Date,
): Promise<string[]> {
  const closed = await trx
    .updateTable('case_incident_keys')
    .set({ open: false })
    .where('case_id', '=', fromId)
    .where('open', '=', true)
    .returning('incident_key')
    .execute();
  const keys = closed.map((k) => k.incident_key).sort();
  if (keys.length === 0) return [];
  await trx
    .insertInto('case_incident_keys')
    .values(keys.map((key) => ({ incident_key: key, case_id: intoId, added_at: at })))
    // The survivor may hold a key closed from an earlier incident: it opens again.
    .onConflict((oc) => oc.columns(['case_id', 'incident_key']).doUpdateSet({ open: true }))
    .execute();
  return keys;
}

/** Cases merged into the duplicate follow it to the survivor: every pointer stays one hop. */
export async function repointMerged(trx: Transaction<Database>, fromId: string, intoId: string): Promise<void> {
  await trx.updateTable('cases').set({ merged_into: intoId }).where('merged_into', '=', fromId).execute();
}

/**
 * The case that carries on for `caseId`: its survivor when it was merged, else itself (pointers
 * are one hop, see `repointMerged`). Undefined when there is no such case.
 */
export async function survivingCaseId(db: Db, caseId: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select(['id', 'merged_into']).where('id', '=', caseId).executeTakeFirst();
  return row ? (row.merged_into ?? row.id) : undefined;
}
