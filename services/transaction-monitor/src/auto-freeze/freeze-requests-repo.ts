import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';

export interface FreezeRequest {
  id: string;
  accountId: string;
  flagId: string;
  reason: string;
  attempts: number;
}

/**
 * Asks for accounts to be frozen, in the transaction that stores the theft flags: the request
 * exists if and only if the flag does. An account with a pending request gets no second one.
 */
export async function requestFreezes(
  trx: Transaction<Database>,
  requests: readonly { accountId: string; flagId: string; reason: string }[],
  now: Date,
): Promise<void> {
  if (requests.length === 0) return;
  await trx
    .insertInto('monitor_freeze_requests')
    .values(
      requests.map((r) => ({ account_id: r.accountId, flag_id: r.flagId, reason: r.reason, next_attempt_at: now })),
    )
    .onConflict((oc) => oc.column('account_id').where('status', '=', 'pending').doNothing())
    .execute();
}

/**
 * Claims up to `limit` requests due at `now` for `leaseMs`: they are invisible to other workers
 * until the lease ends, so a worker that dies mid-call leaves them to be retried, not lost.
 */
export async function claimDueFreezes(
  db: Kysely<Database>,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<FreezeRequest[]> {
  const rows = await db
    .updateTable('monitor_freeze_requests')
    .set({
      attempts: sql`attempts + 1`,
      next_attempt_at: new Date(now.getTime() + leaseMs),
    })
    .where(
      'id',
      'in',
      db
        .selectFrom('monitor_freeze_requests')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'account_id', 'flag_id', 'reason', 'attempts'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    flagId: r.flag_id,
    reason: r.reason,
    attempts: r.attempts,
  }));
}

export async function finishFreeze(
  db: Kysely<Database>,
  id: string,
  outcome: { status: 'done' | 'failed'; error: string | null; at: Date },
) {
  await db
    .updateTable('monitor_freeze_requests')
    .set({ status: outcome.status, last_error: outcome.error, completed_at: outcome.at })
    .where('id', '=', id)
    .execute();
}

export async function retryFreezeLater(db: Kysely<Database>, id: string, retryAt: Date, error: string) {
  await db
    .updateTable('monitor_freeze_requests')
    .set({ last_error: error, next_attempt_at: retryAt })
    .where('id', '=', id)
    .execute();
}

/** One freeze per account with a live theft decision among `flags`, naming its first theft flag. */
export function freezeRequestsFor(
  flags: readonly { id: string; accountId: string; decision: string; score: number; rulesVersion: string }[],
) {
  const byAccount = new Map<string, { accountId: string; flagId: string; reason: string }>();
  for (const flag of flags) {
    if (flag.decision !== 'suspected_theft' || byAccount.has(flag.accountId)) continue;
    byAccount.set(flag.accountId, {
      accountId: flag.accountId,
      flagId: flag.id,
      reason: `Suspected theft: transaction monitor score ${flag.score} (rules ${flag.rulesVersion}, flag ${flag.id})`,
    });
  }
  return [...byAccount.values()];
}
