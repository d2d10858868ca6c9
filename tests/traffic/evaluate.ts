import { type RiskDecision, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type TestKafka, waitFor } from '@wallet-guard/testing';
import { asRecord, startMonitor, transactionEvent } from '@wallet-guard/transaction-monitor/testing';
import { type Kysely, sql } from 'kysely';
import type { Traffic } from './generator';
import { SCENARIOS, type Scenario } from './plan';

const count = async (db: Kysely<Database>, table: 'monitor_transactions' | 'monitor_security_events') =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(db)).rows[0]?.n);

async function produceAll(kafka: TestKafka, topic: string, records: { key: string; value: string }[]) {
  for (let i = 0; i < records.length; i += 2_000) await kafka.produce(topic, records.slice(i, i + 2_000));
}

/**
 * Runs `traffic` through a real monitor (Kafka, Postgres, the shipped rules) and returns the
 * decision for every transaction (`allow` where no flag was written). Security events go first:
 * Kafka orders nothing across topics, and rules only look at events before each transaction, so
 * storing them all up front gives every transaction exactly the timeline it would have had live.
 */
export async function decideThroughMonitor(traffic: Traffic, kafka: TestKafka): Promise<Map<string, RiskDecision>> {
  const monitor = await startMonitor({ kafka, env: { LOG_LEVEL: 'warn' } });
  try {
    const db = monitor.db.db;
    await produceAll(
      kafka,
      TOPICS.securityEvents,
      traffic.securityEvents.map((e) => ({ key: e.accountId, value: JSON.stringify(e) })),
    );
    await waitFor(async () => (await count(db, 'monitor_security_events')) === traffic.securityEvents.length, {
      what: 'security events stored',
      timeoutMs: 600_000,
      intervalMs: 500,
    });
    await produceAll(
      kafka,
      TOPICS.walletTransactions,
      traffic.transactions.map(({ tx }) => asRecord(transactionEvent(tx))),
    );
    await waitFor(async () => (await count(db, 'monitor_transactions')) === traffic.transactions.length, {
      what: 'transactions scored',
      timeoutMs: 1_800_000,
      intervalMs: 500,
    });
    const flags = await db.selectFrom('monitor_flags').select(['transaction_id', 'decision']).execute();
    const decisions = new Map<string, RiskDecision>();
    for (const { tx } of traffic.transactions) decisions.set(tx.transactionId, 'allow');
    for (const flag of flags) decisions.set(flag.transaction_id, flag.decision as RiskDecision);
    return decisions;
  } finally {
    await monitor.close();
  }
}

export interface ScenarioResult {
  scenario: Scenario;
  incidents: number;
  /** Incidents with at least one of their attack transactions decided review or suspected_theft. */
  detected: number;
  recall: number;
  /** The same per attack transaction (the first tiny "tests" of an attack cannot be told apart). */
  attackTransactions: number;
  attackTransactionsFlagged: number;
  /** Incidents with at least one attack transaction decided suspected_theft. */
  theft: number;
}

export interface Evaluation {
  scenarios: ScenarioResult[];
  /** Ordinary transactions in the measured days (after the warm-up). */
  normalTransactions: number;
  falsePositives: number;
  falsePositiveRate: number;
  /** Of all review and theft decisions in the measured days, the share on attack transactions. */
  precision: number;
  /** False positives during the warm-up, when the monitor is still learning the accounts. */
  warmUpFalsePositiveRate: number;
}

const raised = (decision: RiskDecision | undefined) => decision === 'review' || decision === 'suspected_theft';

/** Precision, recall per scenario and the false-positive rate on ordinary transactions. */
export function evaluate(traffic: Traffic, decisions: ReadonlyMap<string, RiskDecision>): Evaluation {
  const scenarios = new Map<Scenario, ScenarioResult>(
    SCENARIOS.map((s) => [
      s,
      {
        scenario: s,
        incidents: 0,
        detected: 0,
        recall: 0,
        attackTransactions: 0,
        attackTransactionsFlagged: 0,
        theft: 0,
      },
    ]),
  );
  const detected = new Map<string, { raised: boolean; theft: boolean }>();
  let normal = 0;
  let falsePositives = 0;
  let warmUp = 0;
  let warmUpFalsePositives = 0;
  let truePositives = 0;
  for (const { tx, label } of traffic.transactions) {
    const decision = decisions.get(tx.transactionId);
    if (label.malicious && label.incident !== null && label.scenario !== 'normal') {
      const result = scenarios.get(label.scenario) as ScenarioResult;
      result.attackTransactions += 1;
      const seen = detected.get(label.incident) ?? { raised: false, theft: false };
      if (raised(decision)) {
        result.attackTransactionsFlagged += 1;
        truePositives += 1;
        seen.raised = true;
      }
      if (decision === 'suspected_theft') seen.theft = true;
      detected.set(label.incident, seen);
    } else if (label.scenario === 'normal' && !label.malicious) {
      const measured = Date.parse(tx.occurredAt) >= traffic.measuredFrom;
      if (measured) {
        normal += 1;
        if (raised(decision)) falsePositives += 1;
      } else {
        warmUp += 1;
        if (raised(decision)) warmUpFalsePositives += 1;
      }
    }
  }
  for (const [incident, scenario] of traffic.incidents) {
    const result = scenarios.get(scenario) as ScenarioResult;
    result.incidents += 1;
    if (detected.get(incident)?.raised) result.detected += 1;
    if (detected.get(incident)?.theft) result.theft += 1;
  }
  for (const result of scenarios.values())
    result.recall = result.incidents === 0 ? 0 : result.detected / result.incidents;
  return {
    scenarios: [...scenarios.values()],
    normalTransactions: normal,
    falsePositives,
    falsePositiveRate: normal === 0 ? 0 : falsePositives / normal,
    precision: truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives),
    warmUpFalsePositiveRate: warmUp === 0 ? 0 : warmUpFalsePositives / warmUp,
  };
}
