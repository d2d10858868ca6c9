import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { DestinationAggregate, DestinationWindow } from '../../network/destination-aggregate';
import { monitored, ruleContext, shippedRules } from '../../testing/fixtures';
import { rulesFileSchema } from '../rules-file';
import { DEFAULT_RULES_FILE } from '../rules-store';
import { muleDestination } from './mule-destination';

const params = shippedRules().mule_destination;
const mule = { id: 'bc1qmule', kind: 'crypto_address' as const };

const window = (hours: number, newPayers: number, newPayersWithSigns: number): DestinationWindow => ({
  hours,
  payers: newPayers,
  newPayers,
  newPayersWithSigns,
  payersWithSigns: newPayersWithSigns,
  received: {},
});

const aggregate = (newPayers: number, withSigns: number, payerIsNew = true): DestinationAggregate => ({
  counterparty: 'crypto_address:bc1qmule',
  kind: 'crypto_address',
  windows: [window(24, newPayers, withSigns), window(168, newPayers, withSigns)],
  payerIsNew,
});

const judge = (destination: DestinationAggregate | null, type: 'transfer_out' | 'deposit' = 'transfer_out') =>
  muleDestination(
    { ...ruleContext(monitored({ type, amountMinor: '90000', counterparty: mule })), destination },
    params,
  );

describe('mule_destination', () => {
  it('fires at 3 new payers in 24 hours, at half strength when all show takeover signs', () => {
    const hit = judge(aggregate(3, 3));
    expect(hit?.strength).toBeCloseTo(0.5);
    expect(hit?.detail).toBe(
      '3 other accounts started paying this crypto address in the last 24 hours; 3 of them showed takeover signs',
    );
  });

  it('grows with the number of new payers, full at 8 with signs', () => {
    expect(judge(aggregate(8, 8))?.strength).toBeCloseTo(1);
    expect(judge(aggregate(20, 20))?.strength).toBeCloseTo(1);
    // 5.5 of the way: 0.5 + 0.5 * (5 - 3) / (8 - 3) = 0.7
    expect(judge(aggregate(5, 5))?.strength).toBeCloseTo(0.7);
  });

  it('keeps 40% of its strength when none of the payers shows takeover signs, linearly up to all of it', () => {
    expect(judge(aggregate(8, 0))?.strength).toBeCloseTo(0.4);
    expect(judge(aggregate(8, 4))?.strength).toBeCloseTo(0.7);
  });

  it('stays quiet below 3 new payers, for a long-standing payer, for incoming money and without an aggregate', () => {
    expect(judge(aggregate(2, 2))).toBeNull();
    expect(judge(aggregate(8, 8, false))).toBeNull();
    expect(judge(aggregate(8, 8), 'deposit')).toBeNull();
    expect(judge(null)).toBeNull();
  });

  it('refuses a rules file whose long window is shorter than the rule window, or strong below min', () => {
    const file = parseYaml(readFileSync(DEFAULT_RULES_FILE, 'utf8'));
    const withMule = (change: Record<string, unknown>) =>
      rulesFileSchema.safeParse({
        ...file,
        rules: { ...file.rules, mule_destination: { ...file.rules.mule_destination, ...change } },
      });
    expect(withMule({}).success).toBe(true);
    expect(withMule({ windowHours: 48, longWindowHours: 24 }).success).toBe(false);
    expect(withMule({ minNewPayers: 5, strongNewPayers: 4 }).success).toBe(false);
    expect(withMule({ kinds: ['merchant'] }).success).toBe(false);
  });

  it('reads its thresholds from the rules file', () => {
    expect(
      muleDestination(
        { ...ruleContext(monitored({ counterparty: mule })), destination: aggregate(2, 2) },
        {
          ...params,
          minNewPayers: 2,
        },
      )?.strength,
    ).toBeCloseTo(0.5);
  });
});
