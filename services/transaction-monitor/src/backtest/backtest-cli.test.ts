// `pnpm backtest`'s command line as a user meets it: bad arguments and invalid rules files end
// with exit code 2 and a message naming the problem, before any database is touched.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DEFAULT_RULES_FILE } from '../scoring/rules-store';
import { scoreTransaction } from '../scoring/score';
import { monitored, ruleContext, shippedRules } from '../testing/fixtures';
import { parseBacktestArguments } from './cli-arguments';
import { confirmationFromReasons } from './replay';
import { renderBacktestReport } from './report-table';

const CLI = join(import.meta.dirname, 'bin/backtest.ts');
const dir = mkdtempSync(join(tmpdir(), 'backtest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; an unreachable database makes sure nothing gets that far unnoticed. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-08T00:00:00Z';

describe('pnpm backtest arguments', () => {
  it('names every missing or malformed argument', () => {
    expect(parseBacktestArguments([])).toEqual({
      ok: false,
      problems: ['--rules FILE is required', '--from is required', '--to is required'],
    });
    const bad = parseBacktestArguments(['--rules', 'r.yaml', '--from', '2026-11-01', '--to', 'soon']);
    expect(bad.ok ? [] : bad.problems).toEqual([
      '--from must be an ISO 8601 instant with a zone (e.g. 2026-11-01T00:00:00Z), got "2026-11-01"',
      '--to must be an ISO 8601 instant with a zone (e.g. 2026-11-01T00:00:00Z), got "soon"',
    ]);
    expect(parseBacktestArguments(['--rules', 'r.yaml', '--from', TO, '--to', FROM])).toEqual({
      ok: false,
      problems: ['--from must be before --to'],
    });
    const unknown = parseBacktestArguments(['--rules', 'r.yaml', '--from', FROM, '--to', TO, '--dry']);
    expect(unknown.ok ? [] : unknown.problems[0]).toContain("'--dry'");
    expect(
      parseBacktestArguments(['--rules', 'r.yaml', '--from', FROM, '--to', '2026-11-08T01:00:00+01:00', '--json']),
    ).toEqual({
      ok: true,
      args: { rulesPath: 'r.yaml', from: new Date(FROM), to: new Date(TO), json: true },
    });
  });

  it('exits 2 with the problem and the usage on stderr, for arguments and rules files alike', async () => {
    const missing = await cli(['--rules', DEFAULT_RULES_FILE, '--from', FROM]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('backtest: --to is required');
    expect(missing.stderr).toContain('usage: pnpm backtest');
    expect(missing.stdout).toBe('');

    const absent = await cli(['--rules', join(dir, 'absent.yaml'), '--from', FROM, '--to', TO]);
    expect([absent.code, absent.stderr]).toEqual([2, expect.stringContaining('absent.yaml: ENOENT')]);

    const doc = parseYaml(readFileSync(DEFAULT_RULES_FILE, 'utf8'));
    doc.rules.velocity.weight = 500;
    delete doc.rules.structuring;
    const invalid = join(dir, 'invalid.yaml');
    writeFileSync(invalid, stringifyYaml(doc));
    const refused = await cli(['--rules', invalid, '--from', FROM, '--to', TO]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rules.velocity.weight');
    expect(refused.stderr).toContain('rules.structuring');
  }, 120_000);

  it('exits 1, naming the cause, when the database cannot be reached', async () => {
    const down = await cli(['--rules', DEFAULT_RULES_FILE, '--from', FROM, '--to', TO]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^backtest: /);
    expect(down.stderr).not.toContain('nobody@');
  }, 120_000);
});

describe('owner confirmations in a replay', () => {
  it('reads back exactly the confirmation scoring wrote on the flag', () => {
    for (const phishingResistant of [true, false]) {
      const confirmation = { confirmationId: 'c0nf-1d', phishingResistant };
      const outcome = scoreTransaction(
        ruleContext(monitored()),
        shippedRules(),
        { review: 30, theft: 70 },
        confirmation,
      );
      expect(confirmationFromReasons(outcome.reasons)).toEqual(confirmation);
    }
    expect(confirmationFromReasons([{ rule: 'velocity', points: 10, detail: 'x' }])).toBeNull();
  });
});

describe('the human report', () => {
  it('tables live against candidate, every rule, and the changed decisions', () => {
    const text = renderBacktestReport({
      rulesVersion: 'candidate-1',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-08T00:00:00.000Z',
      liveRulesVersions: ['2026-11-24.2'],
      transactions: 120,
      warmUpTransactions: 30,
      accounts: 7,
      accountsWithPartialHistory: 2,
      overall: {
        decisions: { allow: 110, review: 6, suspected_theft: 4 },
        liveDecisions: { allow: 109, review: 7, suspected_theft: 4 },
        changed: 1,
        scoresChanged: 3,
        confirmedFraud: 3,
        falsePositive: 1,
        precision: 0.75,
        recall: 1,
        livePrecision: 0.6,
        liveRecall: 1,
      },
      rules: [
        {
          rule: 'velocity',
          mode: 'live',
          hits: 5,
          liveHits: 6,
          changed: 1,
          confirmedFraud: 2,
          falsePositive: 1,
          precision: 0.6667,
          recall: 0.6667,
        },
        {
          rule: 'structuring',
          mode: 'off',
          hits: 0,
          liveHits: 0,
          changed: 0,
          confirmedFraud: 0,
          falsePositive: 0,
          precision: null,
          recall: 0,
        },
      ],
      changes: [
        {
          transactionId: 'tx-1',
          accountId: '7d1f7e1c-2b1e-4a63-9a43-0c6b5e0a9c11',
          occurredAt: '2026-11-02T10:00:00.000Z',
          liveDecision: 'review',
          liveScore: 35,
          decision: 'allow',
          score: 20,
          label: 'false_positive',
        },
      ],
      changesTruncated: false,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'Backtest of rules candidate-1 over 2026-11-01T00:00:00.000Z .. 2026-11-08T00:00:00.000Z (event time)',
    );
    expect(text).toContain('warning: 2 accounts have history older than what is stored');
    expect(lines.find((l) => /^live\s+\d/.test(l))?.split(/\s+/)).toEqual(['live', '109', '7', '4', '60.0%', '100.0%']);
    expect(lines.find((l) => l.startsWith('candidate '))?.split(/\s+/)).toEqual([
      'candidate',
      '110',
      '6',
      '4',
      '75.0%',
      '100.0%',
    ]);
    expect(lines.find((l) => l.startsWith('velocity'))?.split(/\s+/)).toEqual([
      'velocity',
      'live',
      '5',
      '6',
      '1',
      '2',
      '1',
      '66.7%',
      '66.7%',
    ]);
    expect(lines.find((l) => l.startsWith('structuring'))?.split(/\s+/)).toEqual([
      'structuring',
      'off',
      '0',
      '0',
      '0',
      '0',
      '0',
      '-',
      '0.0%',
    ]);
    expect(lines.find((l) => l.startsWith('tx-1'))).toMatch(/review \(35\)\s+allow \(20\)\s+false_positive$/);
  });
});
