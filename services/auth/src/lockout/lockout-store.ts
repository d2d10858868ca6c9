import type { Database } from '@wallet-guard/db';
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { type CounterState, isLocked, type Lock, type LockoutSettings } from './lockout-policy';

/** One failure counter: a hashed normalised email and a source (`any`, `device:..`, `ip:..`). */
export interface CounterKey {
  emailKey: string;
  subject: string;
}

export interface CounterView extends CounterState {
  subject: string;
}

type Db = Kysely<Database> | Transaction<Database>;

interface CounterRow {
  failures: number;
  locked_until: Date | null;
  hard: boolean;
  recent_locks: string[];
}

const toState = (row: CounterRow): CounterState => ({
  failures: row.failures,
  lockedUntil: row.locked_until,
  hard: row.hard,
  recentLocks: row.recent_locks.map((at) => new Date(at)),
});

/**
 * Adds one to the failure counter of `key` before the attempt's password or code is checked, in
 * one atomic statement: concurrent attempts queue on the row and each gets its own number (its
 * position in the window). A locked counter is left as it is; a window that ran out starts
 * again at 1. Returns the counter after the increment.
 */
export async function incrementFailures(
  db: Db,
  key: CounterKey,
  now: Date,
  settings: LockoutSettings,
): Promise<CounterState> {
  const windowStart = new Date(now.getTime() - settings.windowSeconds * 1000);
  const { rows } = await sql<CounterRow>`
    insert into auth_lockouts as l (email_key, subject, failures, window_started_at, updated_at)
    values (${key.emailKey}, ${key.subject}, 1, ${now}, ${now})
    on conflict (email_key, subject) do update set
      failures = case
        when l.hard or l.locked_until > ${now} then l.failures
        when l.window_started_at > ${windowStart} then l.failures + 1
        else 1 end,
      window_started_at = case
        when l.hard or l.locked_until > ${now} or l.window_started_at > ${windowStart} then l.window_started_at
        else ${now} end,
      updated_at = ${now}
    returning failures, locked_until, hard, recent_locks`.execute(db);
  return toState(rows[0] as CounterRow);
}

/** Remembers where the last failure came from (shown to agents, and in the lock event). */
export async function recordLastFailureIp(trx: Transaction<Database>, key: CounterKey, ip: string | null, now: Date) {
  await trx
    .updateTable('auth_lockouts')
    .set({ last_ip: ip, updated_at: now })
    .where('email_key', '=', key.emailKey)
    .where('subject', '=', key.subject)
    .execute();
}

/** The counter's lock history, read and row-locked in the transaction that is about to lock it. */
export async function lockHistoryForUpdate(trx: Transaction<Database>, key: CounterKey): Promise<Date[]> {
  const row = await trx
    .selectFrom('auth_lockouts')
    .select('recent_locks')
    .where('email_key', '=', key.emailKey)
    .where('subject', '=', key.subject)
    .forUpdate()
    .executeTakeFirst();
  return (row?.recent_locks ?? []).map((at) => new Date(at));
}

/** Locks the counter as `lock` says (until a time, or hard) and starts its failures afresh. */
export async function lockCounter(trx: Transaction<Database>, key: CounterKey, lock: Lock, now: Date) {
  await trx
    .updateTable('auth_lockouts')
    .set({
      locked_until: lock.lockedUntil,
      hard: lock.hard,
      recent_locks: JSON.stringify(lock.recentLocks.map((at) => at.toISOString())),
      failures: 0,
      window_started_at: now,
      updated_at: now,
    })
    .where('email_key', '=', key.emailKey)
    .where('subject', '=', key.subject)
    .execute();
}

/** The counter of `key`, unless a lock is in force. */
const unlockedCounter = (key: CounterKey, now: Date) => (eb: ExpressionBuilder<Database, 'auth_lockouts'>) =>
  eb.and([
    eb('email_key', '=', key.emailKey),
    eb('subject', '=', key.subject),
    eb('hard', '=', false),
    eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]),
  ]);

/** A correct password starts the counter afresh (a lock in force stays). */
export async function resetFailures(db: Db, key: CounterKey, now: Date) {
  await db
    .updateTable('auth_lockouts')
    .set({ failures: 0, window_started_at: now, updated_at: now })
    .where(unlockedCounter(key, now))
    .execute();
}

/**
 * Takes one off the failure counter: gives back the number an attempt took (a right password on
 * its way to a second factor); the other failures of the window stay, and a lock in force is left
 * alone.
 */
export async function decrementFailures(db: Db, key: CounterKey, now: Date): Promise<void> {
  await db
    .updateTable('auth_lockouts')
    .set({ failures: sql<number>`greatest(failures - 1, 0)`, updated_at: now })
    .where(unlockedCounter(key, now))
    .execute();
}

/**
 * Lifts every lock of the email (unlock link, reset, agent) and clears the failures. The lock
 * history stays, so a stranger who keeps trying escalates to a hard lock again. Returns whether
 * anything was locked.
 */
export async function liftAllLocks(trx: Transaction<Database>, emailKey: string, now: Date): Promise<boolean> {
  const before = await trx
    .selectFrom('auth_lockouts')
    .select(['hard', 'locked_until'])
    .where('email_key', '=', emailKey)
    .forUpdate()
    .execute();
  await trx
    .updateTable('auth_lockouts')
    .set({ failures: 0, locked_until: null, hard: false, window_started_at: now, updated_at: now })
    .where('email_key', '=', emailKey)
    .execute();
  return before.some((row) => isLocked({ hard: row.hard, lockedUntil: row.locked_until }, now));
}

/** Every counter of the email that is locked or has failures in its window (for agents). */
export async function listActiveCounters(db: Db, emailKey: string, now: Date, settings: LockoutSettings) {
  const windowStart = new Date(now.getTime() - settings.windowSeconds * 1000);
  const rows = await db
    .selectFrom('auth_lockouts')
    .select(['subject', 'failures', 'locked_until', 'hard', 'recent_locks'])
    .where('email_key', '=', emailKey)
    .where((eb) =>
      eb.or([
        eb('hard', '=', true),
        eb('locked_until', '>', now),
        eb.and([eb('failures', '>', 0), eb('window_started_at', '>', windowStart)]),
      ]),
    )
    .orderBy('subject')
    .execute();
  return rows.map((row): CounterView => ({ subject: row.subject, ...toState(row) }));
}

/** Deletes the counters nobody has touched since `olderThan` (hard locks and locks in force stay). */
export async function deleteIdleCounters(db: Db, olderThan: Date): Promise<void> {
  await db
    .deleteFrom('auth_lockouts')
    .where('updated_at', '<', olderThan)
    .where('hard', '=', false)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', olderThan)]))
    .execute();
}
