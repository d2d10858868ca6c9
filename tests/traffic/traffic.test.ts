import type { TestKafka } from '@wallet-guard/testing';
import { testTopics } from '@wallet-guard/transaction-monitor/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideThroughMonitor, evaluate } from './evaluate';
import { DEFAULT_TRAFFIC, generateTraffic } from './generator';
import { isOutgoing, SCENARIOS } from './plan';

// A small, fixed-seed slice of the precision/recall run (tests/traffic/precision-recall.ts):
// a rules change that loses a scenario or floods ordinary customers with flags fails here.
const options = { ...DEFAULT_TRAFFIC, normalAccounts: 150, incidentsPerScenario: 20 };
let kafka: TestKafka;

beforeAll(async () => {
  kafka = await testTopics();
});
afterAll(() => kafka.cleanup());

describe('simulated traffic', () => {
  it('is the same for the same seed, keeps balances whole and labels every attack', () => {
    const a = generateTraffic({ ...options, normalAccounts: 20, incidentsPerScenario: 2 });
    const b = generateTraffic({ ...options, normalAccounts: 20, incidentsPerScenario: 2 });
    expect(a.transactions.map((t) => t.tx)).toEqual(b.transactions.map((t) => t.tx));
    expect(a.incidents.size).toBe(SCENARIOS.length * 2);
    for (const { tx, label } of a.transactions) {
      expect(BigInt(tx.balanceAfterMinor ?? '0') >= 0n).toBe(true);
      if (label.malicious) expect(isOutgoing(tx.type)).toBe(true);
    }
    const attacked = new Set(a.transactions.filter((t) => t.label.malicious).map((t) => t.label.incident));
    expect(attacked.size).toBe(SCENARIOS.length * 2);
  });

  it('meets the targets through the real pipeline: recall >= 0.9 per scenario, false positives < 1%', async () => {
    const traffic = generateTraffic(options);
    const result = evaluate(traffic, await decideThroughMonitor(traffic, kafka));
    for (const scenario of result.scenarios) expect(scenario.recall, scenario.scenario).toBeGreaterThanOrEqual(0.9);
    expect(result.normalTransactions).toBeGreaterThan(5_000);
    expect(result.falsePositiveRate).toBeLessThan(0.01);
    const takeovers = result.scenarios.find((s) => s.scenario === 'account_takeover');
    expect(takeovers?.theft).toBeGreaterThanOrEqual(takeovers ? takeovers.incidents * 0.9 : 1);
    // Six scenarios through Kafka and Postgres: over a minute when the machine is shared.
  }, 300_000);
});
