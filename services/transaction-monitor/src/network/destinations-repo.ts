import type { RiskDecision } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type DestinationPayer, MAX_FLAG_IDS } from './destination-aggregate';
import type { IncidentCandidate, KnownDestinations, PayerDelta } from './destination-book';

/** Rows read per destination at most: far above any threshold, bounded for a destination everyone pays. */
const MAX_PAYERS_READ = 1_000;

/** The advisory-lock namespace of destinations (the first key of `pg_advisory_xact_lock(int, int)`). */
const DESTINATION_LOCKS = 17_001;

/**
 * Serialises the batches of all partitions and instances that pay one of these destinations,
 * until commit: each then reads the payers the others committed, so the aggregate it scores with
 * and the incident it announces count every account (the rows themselves merge atomically
 * anyway). Locks are taken in one order (sorted hash) after the profile locks, so two batches
 * never wait on each other in a circle; a hash collision only makes two destinations share a lock.
 */
export async function lockDestinations(trx: Transaction<Database>, counterparties: readonly string[]): Promise<void> {
  if (counterparties.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(${DESTINATION_LOCKS}, k)
    from (select distinct hashtext(c) as k from unnest(${[...counterparties]}::text[]) as c order by k) as keys`.execute(
    trx,
  );
}

interface PayerRow {
  counterparty: string;
  account_id: string;
  first_paid_at: Date | null;
  last_paid_at: Date | null;
  payments: number;
  amounts: Record<string, string>;
  security_change_at: Date | null;
  flagged_at: Date | null;
  decision: RiskDecision | null;
  max_score: number;
  flag_ids: string[];
  announced: boolean;
}

const toPayer = (row: PayerRow): DestinationPayer => ({
  accountId: row.account_id,
  firstPaidAt: row.first_paid_at?.getTime() ?? null,
  lastPaidAt: row.last_paid_at?.getTime() ?? null,
  payments: row.payments,
  amounts: Object.fromEntries(Object.entries(row.amounts).map(([c, a]) => [c, BigInt(a)])),
  securityChangeAt: row.security_change_at?.getTime() ?? null,
  flaggedAt: row.flagged_at?.getTime() ?? null,
  decision: row.decision,
  maxScore: row.max_score,
  flagIds: row.flag_ids,
  flaggedTransactionIds: [],
  announced: row.announced,
});

/**
 * The payers of the destinations being paid: those that paid since `since` (the longest window
 * before the batch's first transaction; the latest `MAX_PAYERS_READ` of each destination), and
 * the paying accounts' own records however old (whether each is a new payer). One statement.
 * The pipeline calls it after `lockDestinations`; a read-only scoring calls it without.
 */
export async function loadDestinationPayers(
  trx: Kysely<Database>,
  refs: readonly { counterparty: string; accountId: string }[],
  since: Date,
): Promise<KnownDestinations> {
  const known = new Map<string, Map<string, DestinationPayer>>();
  if (refs.length === 0) return known;
  const counterparties = [...new Set(refs.map((r) => r.counterparty))];
  const { rows } = await sql<PayerRow>`
    select p.* from unnest(${counterparties}::text[]) as d (counterparty)
    cross join lateral (
      select * from monitor_destination_payers
      where counterparty = d.counterparty and last_paid_at > ${since}
      order by last_paid_at desc
      limit ${MAX_PAYERS_READ}
    ) as p
    union
    select * from monitor_destination_payers
    where (counterparty, account_id) in (
      select * from unnest(${refs.map((r) => r.counterparty)}::text[], ${refs.map((r) => r.accountId)}::uuid[])
    )`.execute(trx);
  for (const row of rows) {
    const payers = known.get(row.counterparty) ?? new Map<string, DestinationPayer>();
    known.set(row.counterparty, payers);
    payers.set(row.account_id, toPayer(row));
  }
  return known;
}

/**
 * Merges what a batch added into the payers' rows, in one statement: payments and amounts add up,
 * first and last payment widen, the latest signs and the strongest decision win, flag ids join
 * (at most `MAX_FLAG_IDS`), announced stays announced. The same merge as `mergePayers`, done by
 * the database under the row lock of `on conflict`: writers of other partitions lose nothing.
 * `flagIdOf` turns the batch's flagged transaction ids into the flags written for them.
 */
export async function saveDestinationPayers(
  trx: Transaction<Database>,
  deltas: readonly PayerDelta[],
  flagIdOf: ReadonlyMap<string, string>,
): Promise<void> {
  if (deltas.length === 0) return;
  const rows = deltas.map(({ counterparty, payer }) => ({
    counterparty,
    account_id: payer.accountId,
    first_paid_at: payer.firstPaidAt === null ? null : new Date(payer.firstPaidAt),
    last_paid_at: payer.lastPaidAt === null ? null : new Date(payer.lastPaidAt),
    payments: payer.payments,
    amounts: Object.fromEntries(Object.entries(payer.amounts).map(([c, a]) => [c, a.toString()])),
    security_change_at: payer.securityChangeAt === null ? null : new Date(payer.securityChangeAt),
    flagged_at: payer.flaggedAt === null ? null : new Date(payer.flaggedAt),
    decision: payer.decision,
    max_score: payer.maxScore,
    flag_ids: payer.flaggedTransactionIds.flatMap((id) => {
      const flagId = flagIdOf.get(id);
      return flagId ? [flagId] : [];
    }),
    announced: payer.announced,
  }));
  await sql`
    insert into monitor_destination_payers as p (
      counterparty, account_id, first_paid_at, last_paid_at, payments, amounts, security_change_at,
      flagged_at, decision, max_score, flag_ids, announced
    )
    select v.counterparty, v.account_id, v.first_paid_at, v.last_paid_at, v.payments, v.amounts,
      v.security_change_at, v.flagged_at, v.decision, v.max_score,
      array(select jsonb_array_elements_text(v.flag_ids))::uuid[], v.announced
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      counterparty text, account_id uuid, first_paid_at timestamptz, last_paid_at timestamptz,
      payments integer, amounts jsonb, security_change_at timestamptz, flagged_at timestamptz,
      decision text, max_score smallint, flag_ids jsonb, announced boolean
    )
    order by v.counterparty, v.account_id
    on conflict (counterparty, account_id) do update set
      first_paid_at = least(p.first_paid_at, excluded.first_paid_at),
      last_paid_at = greatest(p.last_paid_at, excluded.last_paid_at),
      payments = p.payments + excluded.payments,
      amounts = case when excluded.amounts = '{}'::jsonb then p.amounts else (
        select jsonb_object_agg(c, (coalesce((p.amounts ->> c)::numeric, 0) + coalesce((excluded.amounts ->> c)::numeric, 0))::text)
        from (select jsonb_object_keys(p.amounts) union select jsonb_object_keys(excluded.amounts)) as keys (c)
      ) end,
      security_change_at = greatest(p.security_change_at, excluded.security_change_at),
      flagged_at = greatest(p.flagged_at, excluded.flagged_at),
      decision = case
        when coalesce(array_position(array['review', 'suspected_theft'], excluded.decision), 0)
           > coalesce(array_position(array['review', 'suspected_theft'], p.decision), 0)
        then excluded.decision else p.decision end,
      max_score = greatest(p.max_score, excluded.max_score),
      flag_ids = case when cardinality(excluded.flag_ids) = 0 then p.flag_ids
        else (array(select distinct unnest(p.flag_ids || excluded.flag_ids)))[1:${MAX_FLAG_IDS}] end,
      announced = p.announced or excluded.announced`.execute(trx);
}

export interface DestinationRevision {
  counterparty: string;
  incidentOpenedAt: Date;
  revision: number;
}

/**
 * Records an announcement of each candidate: the incident opens at revision 1, and every later
 * announcement of the same destination raises the revision by one (consumers keep the highest).
 */
export async function recordAnnouncements(
  trx: Transaction<Database>,
  candidates: readonly IncidentCandidate[],
  now: Date,
): Promise<Map<string, DestinationRevision>> {
  const revisions = new Map<string, DestinationRevision>();
  if (candidates.length === 0) return revisions;
  const { rows } = await sql<{ counterparty: string; incident_opened_at: Date; revision: number }>`
    insert into monitor_destinations as d (counterparty, kind, incident_opened_at, revision, announced_at)
    select c, k, ${now}, 1, ${now}
    from unnest(${candidates.map((c) => c.counterparty)}::text[], ${candidates.map((c) => c.kind)}::text[]) as v (c, k)
    order by c
    on conflict (counterparty) do update set revision = d.revision + 1, announced_at = excluded.announced_at
    returning counterparty, incident_opened_at, revision`.execute(trx);
  for (const row of rows) {
    revisions.set(row.counterparty, {
      counterparty: row.counterparty,
      incidentOpenedAt: row.incident_opened_at,
      revision: row.revision,
    });
  }
  return revisions;
}
