import type { Database, MonitorSecurityEventTable } from '@wallet-guard/db';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { TimelineEntry } from './timeline-entry';

const columns = [
  'event_id',
  'account_id',
  'type',
  'occurred_at',
  'ip',
  'device_id',
  'country',
  'new_device',
  'new_ip',
] as const;

type TimelineRow = Pick<Selectable<MonitorSecurityEventTable>, (typeof columns)[number]>;

const toEntry = (row: TimelineRow): TimelineEntry => ({
  eventId: row.event_id,
  accountId: row.account_id,
  type: row.type,
  at: row.occurred_at.getTime(),
  ip: row.ip,
  deviceId: row.device_id,
  country: row.country,
  newDevice: row.new_device,
  newIp: row.new_ip,
});

/**
 * Stores security events and returns the ones that were new; one already stored (same eventId)
 * is left as it is and not returned.
 */
export async function recordSecurityEvents(
  trx: Transaction<Database>,
  entries: readonly TimelineEntry[],
): Promise<TimelineEntry[]> {
  if (entries.length === 0) return [];
  const rows = await trx
    .insertInto('monitor_security_events')
    .values(
      entries.map((e) => ({
        event_id: e.eventId,
        account_id: e.accountId,
        type: e.type,
        occurred_at: new Date(e.at),
        ip: e.ip,
        device_id: e.deviceId,
        country: e.country,
        new_device: e.newDevice,
        new_ip: e.newIp,
      })),
    )
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .execute();
  const stored = new Set(rows.map((r) => r.event_id));
  return entries.filter((e) => stored.has(e.eventId.toLowerCase()));
}

/** The accounts' security events between `from` and `to` (inclusive), oldest first, by account. */
export async function loadTimelines(
  db: Kysely<Database>,
  accountIds: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, TimelineEntry[]>> {
  const timelines = new Map<string, TimelineEntry[]>();
  if (accountIds.length === 0) return timelines;
  const rows = await db
    .selectFrom('monitor_security_events')
    .select(columns)
    .where('account_id', '=', sql<string>`any(${[...new Set(accountIds)]}::uuid[])`)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<=', to)
    .orderBy('occurred_at')
    .execute();
  for (const row of rows) {
    const list = timelines.get(row.account_id) ?? [];
    list.push(toEntry(row));
    timelines.set(row.account_id, list);
  }
  return timelines;
}

/** An account's latest security events, newest first. */
export async function latestSecurityEvents(
  db: Kysely<Database>,
  accountId: string,
  limit: number,
): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('monitor_security_events')
    .select(columns)
    .where('account_id', '=', accountId)
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}
