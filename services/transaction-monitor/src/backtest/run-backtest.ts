import type { BacktestReport } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { type Rules, rulesFileSchema } from '../scoring/rules-file';
import type { DecisionThresholds } from '../scoring/score';
import { countPeriodTransactions, loadBacktestHistory } from './backtest-history';
import { backtestReport } from './backtest-report';
import { replayHistory } from './replay';

/** A candidate rules document: the rules file format (`MONITOR_RULES_FILE`). */
export interface CandidateRules {
  version: string;
  rules: Rules;
}

/** Why a backtest cannot run as asked; `problems` name each one (a rules path, a bound). */
export class BacktestRefused extends Error {
  constructor(
    readonly reason: 'invalid_rules' | 'invalid_period' | 'period_too_long' | 'too_many_transactions',
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'BacktestRefused';
  }
}

/** Parses a rules document (YAML or JSON). Throws `BacktestRefused('invalid_rules')` naming each problem. */
export function parseCandidateRules(text: string): CandidateRules {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new BacktestRefused('invalid_rules', [(error as Error).message.split('\n')[0] ?? 'not YAML']);
  }
  const result = rulesFileSchema.safeParse(document);
  if (!result.success) {
    throw new BacktestRefused(
      'invalid_rules',
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return { version: result.data.version, rules: result.data.rules };
}

export interface BacktestBounds {
  /** Longest period, in days (null: none, the CLI's default). */
  maxDays: number | null;
  /** Most transactions in the period (null: none). */
  maxTransactions: number | null;
}

/** Checks the period and its size before anything heavy is read. Throws `BacktestRefused`. */
async function checkBacktestPeriod(
  db: Kysely<Database>,
  from: Date,
  to: Date,
  bounds: BacktestBounds,
): Promise<number> {
  if (!(from.getTime() < to.getTime())) throw new BacktestRefused('invalid_period', ['from must be before to']);
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  if (bounds.maxDays !== null && days > bounds.maxDays) {
    throw new BacktestRefused('period_too_long', [
      `the period covers ${days.toFixed(1)} days; at most ${bounds.maxDays} are allowed`,
    ]);
  }
  const transactions = await countPeriodTransactions(db, from, to);
  if (bounds.maxTransactions !== null && transactions > bounds.maxTransactions) {
    throw new BacktestRefused('too_many_transactions', [
      `the period holds ${transactions} transactions; at most ${bounds.maxTransactions} are allowed: shorten it`,
    ]);
  }
  return transactions;
}

/**
 * Replays `[from, to]` through `candidate` in memory and reports against live and agents' labels.
 * Reads only; checks `bounds` first (throws `BacktestRefused`).
 */
export async function runBacktest(
  db: Kysely<Database>,
  candidate: CandidateRules,
  period: { from: Date; to: Date },
  thresholds: DecisionThresholds,
  bounds: BacktestBounds,
  /** MONITOR_RESCORE_LATENESS_SECONDS in ms: late security events rescore as live (0: never). */
  latenessMs = 0,
): Promise<BacktestReport> {
  await checkBacktestPeriod(db, period.from, period.to, bounds);
  const network = candidate.rules.mule_destination;
  const history = await loadBacktestHistory(db, period.from, period.to, network.mode === 'off' ? [] : network.kinds);
  const replayed = await replayHistory(history, candidate.rules, thresholds, latenessMs);
  return backtestReport(replayed, history, candidate, period);
}
