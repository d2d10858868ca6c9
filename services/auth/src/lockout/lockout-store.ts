import type { Database } from '@wallet-guard/db';
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { type CounterState, isLocked, type Lock, type LockoutSettings, type RunState } from './lockout-policy';

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
  consecutive_failures: number;
}

const toState = (row: CounterRow): CounterState => ({
  failures: row.failures,
  lockedUntil: row.locked_until,
  hard: row.hard,
  recentLocks: row.recent_locks.map((at) => new Date(at)),
  consecutive: row.consecutive_failures,
});

/**
 * Adds one to the failure counter of `key` before the attempt's password or code is checked, in
 * one atomic statement: concurrent attempts queue on the row and each gets its own number (its
 * position in the window). A locked counter is left as it is; a window that ran out starts
 * again at 1. The run of consecutive failures grows with every attempt `admission` will let
 * verify: not while locked, not past a full window, and under a cap (`nist`) it stops one past
 * the cap, so attempts refused there are not counted as guesses. Returns the counter after the
 * increment.
 */
export async function incrementFailures(
  db: Db,
  key: CounterKey,
  now: Date,
  settings: LockoutSettings,
): Promise<CounterState> {
  const windowStart = new Date(now.getTime() - settings.windowSeconds * 1000);
  const cap = settings.maxConsecutiveFailures;
  const { rows } = await sql<CounterRow>`
    insert into auth_lockouts as l (email_key, subject, failures, window_started_at, updated_at, consecutive_failures)
    values (${key.emailKey}, ${key.subject}, 1, ${now}, ${now}, 1)
    on conflict (email_key, subject) do update set
      failures = case
        when l.hard or l.locked_until > ${now} then l.failures
        when l.window_started_at > ${windowStart} then l.failures + 1
        else 1 end,
      window_started_at = case
        when l.hard or l.locked_until > ${now} or l.window_started_at > ${windowStart} then l.window_started_at
        else ${now} end,
      consecutive_failures = case
        when l.hard or l.locked_until > ${now} then l.consecutive_failures
        when l.window_started_at > ${windowStart} and l.failures >= ${settings.threshold} then l.consecutive_failures
        when ${cap}::integer is not null and l.consecutive_failures >= ${cap}::integer then ${cap}::integer + 1
        else l.consecutive_failures + 1 end,
      updated_at = ${now}
    returning failures, locked_until, hard, recent_locks, consecutive_failures`.execute(db);
  return toState(rows[0] as CounterRow);
}

/**
 * Remembers where the last failure came from (shown to agents, and in the lock event), and that an
 * existing account's failure touched the counter (its run then outlives housekeeping). One
 * statement either way, so an unknown email costs what a known one does.
 */
export async function recordLastFailureIp(
  trx: Transaction<Database>,
  key: CounterKey,
  ip: string | null,
  now: Date,
  accountKnown: boolean,
) {
  await trx
    .updateTable('auth_lockouts')
    .set({ last_ip: ip, updated_at: now, account_known: sql<boolean>`account_known or ${accountKnown}` })
    .where('email_key', '=', key.emailKey)
    .where('subject', '=', key.subject)
    .execute();
}

/** The counter's lock history and run, read and row-locked in the transaction that is about to lock it. */
export async function lockStateForUpdate(
  trx: Transaction<Database>,
  key: CounterKey,
): Promise<{ recentLocks: Date[]; run: RunState }> {
  const row = await trx
    .selectFrom('auth_lockouts')
    .select(['recent_locks', 'consecutive_failures', 'final_warning_at'])
    .where('email_key', '=', key.emailKey)
    .where('subject', '=', key.subject)
    .forUpdate()
    .executeTakeFirst();
  return {
    recentLocks: (row?.recent_locks ?? []).map((at) => new Date(at)),
    run: { consecutive: row?.consecutive_failures ?? 0, finalWarningAt: row?.final_warning_at ?? null },
  };
}

/**
 * Locks the counter as `lock` says (until a time, or hard) and starts its failures afresh (the
 * run of consecutive failures goes on). A lock that carries the final warning remembers when.
 */
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
      ...(lock.finalWarning ? { final_warning_at: now } : {}),
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

/**
 * A correct password (or factor) starts the counter afresh and ends its run of consecutive
 * failures and any final warning (a lock in force stays).
 */
export async function resetFailures(db: Db, key: CounterKey, now: Date) {
  await db
    .updateTable('auth_lockouts')
    .set({ failures: 0, consecutive_failures: 0, final_warning_at: null, window_started_at: now, updated_at: now })
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
    .set({
      failures: sql<number>`greatest(failures - 1, 0)`,
      consecutive_failures: sql<number>`greatest(consecutive_failures - 1, 0)`,
      updated_at: now,
    })
    .where(unlockedCounter(key, now))
    .execute();
}

/**
 * Lifts every lock of the email (unlock link, reset, agent) and clears the failures, the runs of
 * consecutive failures and the final warnings (the owner regained the account: psd2 warns again
 * before the next permanent lock). The lock history stays, so a stranger who keeps trying
 * escalates to a hard lock again. Returns whether anything was locked.
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
    .set({
      failures: 0,
      consecutive_failures: 0,
      final_warning_at: null,
      locked_until: null,
      hard: false,
      window_started_at: now,
      updated_at: now,
    })
    .where('email_key', '=', emailKey)
    .execute();
  return before.some((row) => isLocked({ hard: row.hard, lockedUntil: row.locked_until }, now));
}

/** Every counter of the email that is locked or has failures in its window (for agents). */
export async function listActiveCounters(db: Db, emailKey: string, now: Date, settings: LockoutSettings) {
  const windowStart = new Date(now.getTime() - settings.windowSeconds * 1000);
  const rows = await db
    .selectFrom('auth_lockouts')
    .select(['subject', 'failures', 'locked_until', 'hard', 'recent_locks', 'consecutive_failures'])
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

/**
 * Deletes the counters nobody has touched since `olderThan`. Hard locks and locks in force stay,
 * and so does an account's unfinished run of consecutive failures (a counter of an existing
 * account: a known source's, the step-up one, or one an account's failure touched), or a slow
 * enough guesser would see it forgotten and the `nist` bound would not hold. Unknown emails'
 * counters go as before.
 */
export async function deleteIdleCounters(db: Db, olderThan: Date): Promise<void> {
  await db
    .deleteFrom('auth_lockouts')
    .where('updated_at', '<', olderThan)
    .where('hard', '=', false)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', olderThan)]))
    .where((eb) =>
      eb.or([eb('consecutive_failures', '=', 0), eb.and([eb('subject', '=', 'any'), eb('account_known', '=', false)])]),
    )
    .execute();
}
