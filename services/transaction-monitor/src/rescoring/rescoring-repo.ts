import type { FlagReason, RiskDecision, WalletTransaction } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { sql, type Transaction } from 'kysely';
import type { FlagRecord } from '../flags/flag-record';
import type { StoredScore } from './rescore';

/** A stored transaction with its payload, and its flag when it has one. */
export interface ScoredTransaction {
  payload: WalletTransaction;
  flag: (StoredScore & { id: string }) | null;
}

/**
 * The accounts' applied transactions that occurred between `from` and `to` (inclusive) and
 * carry their payload (rows applied before 20261129090000 have none and cannot be rescored),
 * oldest first, each with its flag. Read under the accounts' profile locks
 * (`lockProfiles`): no transaction of theirs is being applied meanwhile.
 */
export async function loadScoredTransactions(
  trx: Transaction<Database>,
  accountIds: readonly string[],
  from: Date,
  to: Date,
): Promise<ScoredTransaction[]> {
  if (accountIds.length === 0) return [];
  const { rows } = await sql<{
    payload: WalletTransaction;
    id: string | null;
    score: number | null;
    decision: RiskDecision | null;
    shadow_score: number | null;
    shadow_decision: RiskDecision | null;
    reasons: FlagReason[] | null;
    security_event_ids: string[] | null;
  }>`
    select t.payload, f.id, f.score, f.decision, f.shadow_score, f.shadow_decision, f.reasons, f.security_event_ids
    from monitor_transactions t
    left join monitor_flags f on f.transaction_id = t.transaction_id
    where t.account_id = any(${[...new Set(accountIds)]}::uuid[])
      and t.occurred_at between ${from} and ${to}
      and t.payload is not null
    order by t.occurred_at, t.transaction_id`.execute(trx);
  return rows.map((row) => ({
    payload: row.payload,
    flag:
      row.id === null
        ? null
        : {
            id: row.id,
            score: row.score as number,
            decision: row.decision as RiskDecision,
            shadowScore: row.shadow_score as number,
            shadowDecision: row.shadow_decision as RiskDecision,
            reasons: row.reasons ?? [],
            securityEventIds: row.security_event_ids ?? [],
          },
  }));
}

/**
 * Rewrites the score of flags that exist (their id, lists version and creation time stay: the
 * flag is the same one, decided higher), in one statement.
 */
export async function raiseFlags(trx: Transaction<Database>, flags: readonly FlagRecord[]): Promise<void> {
  if (flags.length === 0) return;
  const rows = flags.map((f) => ({
    id: f.id,
    score: f.score,
    decision: f.decision,
    shadowScore: f.shadowScore,
    shadowDecision: f.shadowDecision,
    reasons: f.reasons,
    securityEventIds: f.securityEventIds,
    rulesVersion: f.rulesVersion,
  }));
  await sql`
    update monitor_flags as f
    set score = v.score, decision = v.decision, shadow_score = v."shadowScore", shadow_decision = v."shadowDecision",
        reasons = v.reasons, security_event_ids = v."securityEventIds", rules_version = v."rulesVersion"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      id uuid, score smallint, decision text, "shadowScore" smallint, "shadowDecision" text, reasons jsonb,
      "securityEventIds" jsonb, "rulesVersion" text
    )
    where f.id = v.id`.execute(trx);
}
