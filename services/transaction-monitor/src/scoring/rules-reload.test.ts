import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, type TransactionFlagged } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { at, walletTx } from '../testing/fixtures';
import { flagOf, type RunningMonitor, startMonitor, WALLET_KEY } from '../testing/harness';
import { DEFAULT_RULES_FILE } from './rules-store';

// A running monitor (embedded bus) with its own copy of the rules file, edited under it.
let dir: string;
let rulesFile: string;
let monitor: RunningMonitor;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'txm-reload-'));
  rulesFile = join(dir, 'rules.yaml');
  copyFileSync(DEFAULT_RULES_FILE, rulesFile);
  monitor = await startMonitor({ env: { MONITOR_RULES_FILE: rulesFile, MONITOR_RULES_WATCH: 'false' } });
});

afterAll(async () => {
  await monitor.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A withdrawal emptying a fresh account: balance_drain plus new_counterparty_large, review. */
const emptying = () =>
  walletTx({
    type: 'withdrawal',
    amountMinor: '300000',
    balanceAfterMinor: '0',
    counterparty: { id: `IBAN-${Math.random()}`, kind: 'bank_account' },
    occurredAt: at(Date.now()),
  });

async function scored(tx: ReturnType<typeof walletTx>) {
  const res = await monitor.server.inject({
    method: 'POST',
    url: '/v1/transactions',
    headers: WALLET_KEY,
    payload: { transactions: [tx] },
  });
  expect(res.statusCode).toBe(202);
  return waitFor(() => flagOf(monitor.db.db, tx.transactionId), { what: 'flag' });
}

async function announcement(transactionId: string) {
  const rows = await monitor.db.db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', TOPICS.transactionFlags)
    .execute();
  return rows
    .map((r) => r.payload as unknown as TransactionFlagged)
    .find((e) => e.payload.transactionId === transactionId);
}

describe('rules changes without a restart', () => {
  it('applies a reloaded file to the next transactions, records its version, and keeps shadow rules out of decisions', async () => {
    const before = await scored(emptying());
    expect(before.rules_version).toBe('2026-11-30.1');
    expect(before.decision).toBe('review');

    const doc = parse(readFileSync(rulesFile, 'utf8'));
    doc.version = '2026-12-01.1';
    doc.rules.balance_drain.mode = 'shadow';
    doc.rules.new_counterparty_large.weight = 100;
    doc.rules.new_counterparty_large.mode = 'shadow';
    writeFileSync(rulesFile, stringify(doc));
    process.emit('SIGHUP', 'SIGHUP');

    const tx = emptying();
    const after = await scored(tx);
    expect(after.rules_version).toBe('2026-12-01.1');
    expect(after.reasons.map((r) => [r.rule, r.shadow === true])).toEqual([
      ['new_counterparty_large', true],
      ['balance_drain', true],
    ]);
    expect(after).toMatchObject({ score: 0, decision: 'allow', shadow_decision: 'suspected_theft' });
    expect(after.shadow_score).toBeGreaterThanOrEqual(70);
    // Announced for whoever evaluates the rules, marked shadow; no theft event, no case.
    const event = await waitFor(() => announcement(tx.transactionId), { what: 'shadow announcement' });
    expect(event.payload).toMatchObject({ shadow: true, decision: 'suspected_theft' });
    const thefts = await monitor.db.db
      .selectFrom('outbox')
      .select('id')
      .where('topic', '=', TOPICS.theftSuspected)
      .where('message_key', '=', tx.accountId)
      .execute();
    expect(thefts).toEqual([]);

    const metrics = (await monitor.server.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('monitor_rules_version_info{version="2026-12-01.1"');
    expect(metrics).toMatch(/monitor_rules_reloads_total\{result="reloaded"[^}]*\} 1/);
  });

  it('keeps the rules in force when the edited file is invalid', async () => {
    writeFileSync(rulesFile, 'version: "2026-12-02.1"\nrules: {}\n');
    process.emit('SIGHUP', 'SIGHUP');
    const flag = await scored(emptying());
    expect(flag.rules_version).toBe('2026-12-01.1');
    const metrics = (await monitor.server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/monitor_rules_reloads_total\{result="refused"[^}]*\} 1/);
  });
});
