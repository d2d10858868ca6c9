import type { RiskDecision } from '@wallet-guard/contracts';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import type { Rules } from '../scoring/rules-file';

export type NetworkParams = Rules['mule_destination'];

/**
 * One account paying one destination, as far as the monitor has seen it. Times are epoch ms on
 * the wallet's clock (event time, like the rules), amounts integer minor units per currency.
 */
export interface DestinationPayer {
  accountId: string;
  /** The account's first payment to the destination (null in a delta that only marks it announced). */
  firstPaidAt: number | null;
  lastPaidAt: number | null;
  payments: number;
  /** Total paid to the destination, by ISO 4217 code. */
  amounts: Record<string, bigint>;
  /** The latest takeover-sign security change before one of its payments (within `signsWithinHours`). */
  securityChangeAt: number | null;
  /** The latest of its payments to the destination decided review or suspected_theft. */
  flaggedAt: number | null;
  /** The strongest live decision and score among those payments. */
  decision: RiskDecision | null;
  maxScore: number;
  /** Flags of its payments to the destination (at most `MAX_FLAG_IDS`). */
  flagIds: string[];
  /** Flagged payments of the current batch, whose flag ids are given when the batch is saved. */
  flaggedTransactionIds: string[];
  /** Listed in a `risk.mule-destination.v1` announcement already. */
  announced: boolean;
}

/** The counts of one sliding window, the transaction's own account left out. */
export interface DestinationWindow {
  hours: number;
  /** Distinct accounts that paid the destination within the window. */
  payers: number;
  /** Of those, the ones whose first payment to it falls within the window. */
  newPayers: number;
  /** Of the new payers, the ones with a takeover-sign security change or a flag within `signsWithinHours`. */
  newPayersWithSigns: number;
  /** Of all payers in the window, the ones with such a sign. */
  payersWithSigns: number;
  /** What the window's payers have paid it since their first payment, by currency (minor units). */
  received: Record<string, bigint>;
}

/** The network aggregate of a destination as one transaction sees it (see `RuleContext.destination`). */
export interface DestinationAggregate {
  /** `kind:id`, as in `MonitoredTransaction.counterparty`. */
  counterparty: string;
  kind: string;
  /** The rule's window (`windowHours`) first, then the long one (`longWindowHours`). */
  windows: [DestinationWindow, DestinationWindow];
  /** The paying account never paid it before, or first did within the rule's window. */
  payerIsNew: boolean;
}

const HOUR = 3_600_000;
/** Flag ids kept per payer: enough for an agent to open them, bounded whatever a ring does. */
export const MAX_FLAG_IDS = 20;
const DECISION_RANK: Record<RiskDecision, number> = { allow: 0, review: 1, suspected_theft: 2 };

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const minOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** The latest takeover sign of a payer (security change or flag), or null. */
const signAt = (p: DestinationPayer) => maxOrNull(p.securityChangeAt, p.flaggedAt);

/** The network covers this transaction: outgoing, to a counterparty of a covered kind, rule not off. */
export const coveredBy = (tx: MonitoredTransaction, params: NetworkParams): boolean =>
  params.mode !== 'off' &&
  tx.outgoing &&
  tx.counterparty !== null &&
  tx.counterpartyKind !== null &&
  (params.kinds as readonly string[]).includes(tx.counterpartyKind);

function windowAt(
  payers: Iterable<DestinationPayer>,
  at: number,
  hours: number,
  signsWithinMs: number,
  except: string | null,
): DestinationWindow {
  const from = at - hours * HOUR;
  const window: DestinationWindow = {
    hours,
    payers: 0,
    newPayers: 0,
    newPayersWithSigns: 0,
    payersWithSigns: 0,
    received: {},
  };
  for (const p of payers) {
    if (p.accountId === except || p.firstPaidAt === null || p.lastPaidAt === null) continue;
    // Payments seen after `at` (another partition ran ahead) count from their first one only.
    if (p.firstPaidAt > at || p.lastPaidAt <= from) continue;
    const sign = signAt(p);
    const signed = sign !== null && sign <= at && sign > at - signsWithinMs;
    window.payers += 1;
    if (signed) window.payersWithSigns += 1;
    if (p.firstPaidAt > from) {
      window.newPayers += 1;
      if (signed) window.newPayersWithSigns += 1;
    }
    for (const [currency, amount] of Object.entries(p.amounts)) {
      window.received[currency] = (window.received[currency] ?? 0n) + amount;
    }
  }
  return window;
}

/**
 * The aggregate of `payers` at time `at`, leaving out `except` (the paying account). Pure.
 */
export function aggregateAt(
  counterparty: string,
  kind: string,
  payers: Iterable<DestinationPayer>,
  at: number,
  params: NetworkParams,
  except: string | null,
): Omit<DestinationAggregate, 'payerIsNew'> {
  const list = [...payers];
  const signsMs = params.signsWithinHours * HOUR;
  return {
    counterparty,
    kind,
    windows: [
      windowAt(list, at, params.windowHours, signsMs, except),
      windowAt(list, at, params.longWindowHours, signsMs, except),
    ],
  };
}

/** Whether an account's record makes it a new payer at `at` (no record: its first payment is now). */
export const isNewPayer = (own: DestinationPayer | undefined, at: number, params: NetworkParams) =>
  own === undefined || own.firstPaidAt === null || own.firstPaidAt > at - params.windowHours * HOUR;

/**
 * Merges two records of one account paying one destination: associative and commutative, the
 * same merge the database applies (`saveDestinationPayers`), so concurrent writers lose nothing.
 */
export function mergePayers(a: DestinationPayer, b: DestinationPayer): DestinationPayer {
  const stronger =
    (b.decision === null ? -1 : DECISION_RANK[b.decision]) > (a.decision === null ? -1 : DECISION_RANK[a.decision]);
  const amounts = { ...a.amounts };
  for (const [currency, amount] of Object.entries(b.amounts)) amounts[currency] = (amounts[currency] ?? 0n) + amount;
  return {
    accountId: a.accountId,
    firstPaidAt: minOrNull(a.firstPaidAt, b.firstPaidAt),
    lastPaidAt: maxOrNull(a.lastPaidAt, b.lastPaidAt),
    payments: a.payments + b.payments,
    amounts,
    securityChangeAt: maxOrNull(a.securityChangeAt, b.securityChangeAt),
    flaggedAt: maxOrNull(a.flaggedAt, b.flaggedAt),
    decision: stronger ? b.decision : a.decision,
    maxScore: Math.max(a.maxScore, b.maxScore),
    flagIds: [...new Set([...a.flagIds, ...b.flagIds])].slice(0, MAX_FLAG_IDS),
    flaggedTransactionIds: [...new Set([...a.flaggedTransactionIds, ...b.flaggedTransactionIds])],
    announced: a.announced || b.announced,
  };
}
