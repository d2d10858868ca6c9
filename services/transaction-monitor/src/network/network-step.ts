import { createEvent, type Money, MULE_DESTINATION_MAX_CURRENCIES, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { enqueueEvents, type OutboxMessage } from '@wallet-guard/messaging';
import type { Kysely, Transaction } from 'kysely';
import type { FlagRecord } from '../flags/flag-record';
import { MONITOR_PRODUCER } from '../outbox-producer';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import { coveredBy, type DestinationPayer, type NetworkParams } from './destination-aggregate';
import type { DestinationBook, IncidentCandidate, KnownDestinations } from './destination-book';
import {
  type DestinationRevision,
  loadDestinationPayers,
  lockDestinations,
  recordAnnouncements,
  saveDestinationPayers,
} from './destinations-repo';

const HOUR = 3_600_000;

/**
 * Locks the destinations a batch pays and reads their payers: two statements per batch whatever
 * its size, none when the batch pays no covered destination. Call after the profile locks.
 */
export async function loadNetwork(
  trx: Transaction<Database>,
  txs: readonly MonitoredTransaction[],
  params: NetworkParams,
): Promise<KnownDestinations> {
  const refs = txs.flatMap((tx) =>
    coveredBy(tx, params) ? [{ counterparty: tx.counterparty as string, accountId: tx.accountId }] : [],
  );
  if (refs.length === 0) return new Map();
  await lockDestinations(
    trx,
    refs.map((r) => r.counterparty),
  );
  return readNetwork(trx, txs, params);
}

/** The same read without the locks, for scoring that writes nothing (`POST /v1/score`). */
export async function readNetwork(
  db: Kysely<Database>,
  txs: readonly MonitoredTransaction[],
  params: NetworkParams,
): Promise<KnownDestinations> {
  const refs = txs.flatMap((tx) =>
    coveredBy(tx, params) ? [{ counterparty: tx.counterparty as string, accountId: tx.accountId }] : [],
  );
  if (refs.length === 0) return new Map();
  const first = Math.min(...txs.map((t) => t.at));
  return loadDestinationPayers(db, refs, new Date(first - params.longWindowHours * HOUR));
}

/**
 * Amounts by currency code; past `MULE_DESTINATION_MAX_CURRENCIES` currencies only the largest
 * totals (a payload the contract refuses would stop the consumer on this chunk for good).
 */
const moneyOf = (amounts: Record<string, bigint>): Money[] =>
  Object.entries(amounts)
    .sort(([, a], [, b]) => (a > b ? -1 : a < b ? 1 : 0))
    .slice(0, MULE_DESTINATION_MAX_CURRENCIES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amountMinor: amount.toString() }));

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function announcement(
  candidate: IncidentCandidate,
  revision: DestinationRevision,
  flagIdOf: ReadonlyMap<string, string>,
  params: NetworkParams,
  rulesVersion: string,
): OutboxMessage {
  const received: Record<string, bigint> = {};
  const accounts = candidate.listed.map((p: DestinationPayer) => {
    for (const [currency, amount] of Object.entries(p.amounts))
      received[currency] = (received[currency] ?? 0n) + amount;
    const batchFlags = p.flaggedTransactionIds.flatMap((id) => {
      const flagId = flagIdOf.get(id);
      return flagId ? [flagId] : [];
    });
    return {
      accountId: p.accountId,
      firstPaidAt: iso(p.firstPaidAt) as string,
      lastPaidAt: iso(p.lastPaidAt) as string,
      payments: p.payments,
      amounts: moneyOf(p.amounts),
      securityChangeAt: iso(p.securityChangeAt),
      flaggedAt: iso(p.flaggedAt),
      decision: p.decision,
      maxScore: Math.min(100, p.maxScore),
      flagIds: [...new Set([...p.flagIds, ...batchFlags])].slice(0, 20),
    };
  });
  return {
    topic: TOPICS.muleDestinations,
    key: candidate.counterparty,
    event: createEvent(TOPICS.muleDestinations, {
      type: 'mule_destination.detected',
      version: 1,
      producer: MONITOR_PRODUCER,
      accountId: candidate.accountId,
      payload: {
        incidentKey: candidate.counterparty,
        destination: {
          kind: candidate.kind as never,
          id: candidate.counterparty.slice(candidate.counterparty.indexOf(':') + 1),
        },
        revision: revision.revision,
        incidentOpenedAt: revision.incidentOpenedAt.toISOString(),
        window: {
          hours: candidate.window.hours,
          newPayers: candidate.window.newPayers,
          newPayersWithSigns: candidate.window.newPayersWithSigns,
        },
        listedHours: params.longWindowHours,
        accounts,
        received: moneyOf(received),
        rulesVersion,
      },
    }),
  };
}

/**
 * Writes what the batch added to the destinations' payers and announces each destination that
 * is (still) a network incident with accounts not listed before: revision 1 when it crosses the
 * incident threshold, one more each time more accounts pay it. Same transaction as the scoring.
 * Returns the announcements made (for metrics and tests).
 */
export async function saveNetwork(
  trx: Transaction<Database>,
  book: DestinationBook,
  flags: readonly FlagRecord[],
  params: NetworkParams,
  rulesVersion: string,
  now: Date,
): Promise<number> {
  const candidates = book.incidents();
  const flagIdOf = new Map(flags.map((f) => [f.transactionId, f.id]));
  await saveDestinationPayers(trx, book.deltas(), flagIdOf);
  if (candidates.length === 0) return 0;
  const revisions = await recordAnnouncements(trx, candidates, now);
  await enqueueEvents(
    trx,
    MONITOR_PRODUCER,
    candidates.map((c) =>
      announcement(c, revisions.get(c.counterparty) as DestinationRevision, flagIdOf, params, rulesVersion),
    ),
  );
  return candidates.length;
}
