import { type ClientContext, ipThrottleKey } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { StuffingSource } from './evaluate';

type Db = Kysely<Database> | Transaction<Database>;

/** One source a password attempt came from, as stored: `ip:<address>`, `net:<prefix>/<bits>`, `device:<id>`. */
export interface SourceKey {
  kind: StuffingSource;
  key: string;
}

/**
 * The sources of a request that stuffing is counted for: its IP address (canonical text), for
 * IPv6 also its `/ipv6PrefixBits` network (one subscriber usually holds a whole /64, RFC 6177), and
 * its device id. Empty when the request names none. Never throws.
 */
export function stuffingSources(context: ClientContext, ipv6PrefixBits: number): SourceKey[] {
  const sources: SourceKey[] = [];
  if (context.ip) {
    sources.push({ kind: 'ip', key: `ip:${context.ip}` });
    const network = ipThrottleKey(context.ip, ipv6PrefixBits);
    if (network.includes('/')) sources.push({ kind: 'ipv6Prefix', key: `net:${network}` });
  }
  if (context.deviceId) sources.push({ kind: 'device', key: `device:${context.deviceId}` });
  return sources;
}

/**
 * Notes that `emailKey` was tried from each source now and returns, per source, how many distinct
 * email keys were tried from it since `windowStart`, this one included. One statement: an upsert
 * per (source, email key), so concurrent attempts never lose one another's rows; the count reads
 * the rows committed before it. Called for every password attempt, before the password is
 * checked, for unknown emails too (same statement, same cost).
 */
export async function countSourceAttempts(
  db: Db,
  sources: readonly SourceKey[],
  emailKey: string,
  now: Date,
  windowStart: Date,
): Promise<Partial<Record<StuffingSource, number>>> {
  if (sources.length === 0) return {};
  const keys = sources.map((s) => s.key);
  const { rows } = await sql<{ source: string; others: number }>`
    with touched as (
      insert into auth_risk_source_attempts as a (source, email_key, last_attempt_at)
      select source, ${emailKey}, ${now} from unnest(${keys}::text[]) as source
      on conflict (source, email_key) do update
        set last_attempt_at = greatest(a.last_attempt_at, excluded.last_attempt_at)
      returning a.source
    )
    select t.source, (
      select count(*) from auth_risk_source_attempts r
      where r.source = t.source and r.email_key <> ${emailKey} and r.last_attempt_at > ${windowStart}
    )::int as others
    from touched t`.execute(db);
  const counts: Partial<Record<StuffingSource, number>> = {};
  for (const source of sources) {
    const row = rows.find((r) => r.source === source.key);
    counts[source.kind] = (row?.others ?? 0) + 1;
  }
  return counts;
}

/** What the risk check reads about an account, in one statement. */
export interface AccountRiskState {
  /** Countries of earlier sign-ins, most recent first (at most 20). */
  knownCountries: string[];
  lastLocation: { lat: number; lon: number; at: Date } | null;
  theftSuspectedAt: Date | null;
  frozenAt: Date | null;
}

/**
 * The account's countries, last located sign-in, latest theft suspicion since `theftSince` and
 * latest freeze since `freezeSince`: one round trip of primary-key and index reads.
 */
export async function loadAccountRisk(
  db: Db,
  accountId: string,
  horizons: { theftSince: Date; freezeSince: Date },
): Promise<AccountRiskState> {
  const { rows } = await sql<{
    countries: string[] | null;
    signed_in_at: Date | null;
    lat: number | null;
    lon: number | null;
    theft_at: Date | null;
    frozen_at: Date | null;
  }>`
    select
      (select array_agg(c.country order by c.last_success_at desc) from (
        select country, last_success_at from auth_risk_known_countries
        where account_id = ${accountId} order by last_success_at desc limit 20) c) as countries,
      l.signed_in_at, l.lat, l.lon,
      (select max(suspected_at) from auth_risk_theft_suspicions
        where account_id = ${accountId} and suspected_at > ${horizons.theftSince}) as theft_at,
      (select max(occurred_at) from auth_security_events
        where account_id = ${accountId} and type = 'account.frozen' and occurred_at > ${horizons.freezeSince}) as frozen_at
    from (select 1) as one
    left join auth_risk_last_locations l on l.account_id = ${accountId}`.execute(db);
  const row = rows[0];
  return {
    knownCountries: row?.countries ?? [],
    lastLocation:
      row?.signed_in_at && row.lat !== null && row.lon !== null
        ? { lat: row.lat, lon: row.lon, at: row.signed_in_at }
        : null,
    theftSuspectedAt: row?.theft_at ?? null,
    frozenAt: row?.frozen_at ?? null,
  };
}

/**
 * Records a successful sign-in's country and location for the next risk check, in the sign-in's
 * transaction. A request without a location leaves the last located one in place (the next check
 * compares with it over the longer gap: a weaker signal, never a false one).
 */
export async function rememberRiskSources(
  trx: Transaction<Database>,
  accountId: string,
  context: ClientContext,
  now: Date,
): Promise<void> {
  if (context.country) {
    await trx
      .insertInto('auth_risk_known_countries')
      .values({ account_id: accountId, country: context.country, first_seen_at: now, last_success_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'country']).doUpdateSet({ last_success_at: now }))
      .execute();
  }
  if (context.lat !== undefined && context.lon !== undefined) {
    const location = { signed_in_at: now, lat: context.lat, lon: context.lon };
    await trx
      .insertInto('auth_risk_last_locations')
      .values({ account_id: accountId, ...location })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(location))
      .execute();
  }
}

export interface TheftSuspicion {
  eventId: string;
  accountId: string;
  suspectedAt: Date;
  score: number;
  rulesVersion: string;
}

/** Stores theft suspicions; one already stored (same event id) is left as it is. Idempotent on eventId. */
export async function recordTheftSuspicions(trx: Transaction<Database>, rows: readonly TheftSuspicion[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto('auth_risk_theft_suspicions')
    .values(
      rows.map((r) => ({
        event_id: r.eventId,
        account_id: r.accountId,
        suspected_at: r.suspectedAt,
        score: r.score,
        rules_version: r.rulesVersion,
      })),
    )
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

/** Deletes stuffing attempts older than `attemptsBefore` and suspicions older than `suspicionsBefore`. Idempotent. */
export async function pruneRiskTables(
  db: Kysely<Database>,
  cutoffs: { attemptsBefore: Date; suspicionsBefore: Date },
): Promise<void> {
  await db.deleteFrom('auth_risk_source_attempts').where('last_attempt_at', '<', cutoffs.attemptsBefore).execute();
  await db.deleteFrom('auth_risk_theft_suspicions').where('suspected_at', '<', cutoffs.suspicionsBefore).execute();
}
