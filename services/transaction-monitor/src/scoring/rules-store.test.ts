import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@wallet-guard/observability';
import { waitFor } from '@wallet-guard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { RULE_NAMES } from './rules-file';
import { DEFAULT_RULES_FILE, type ReloadResult, RulesFileError, RulesStore, readRulesFile } from './rules-store';

const logger = createLogger({ service: 'test', level: 'silent' });
const shipped = readFileSync(DEFAULT_RULES_FILE, 'utf8');

let dir: string;
let file: string;
const stores: RulesStore[] = [];

/** The shipped rules with `edit` applied, as YAML. */
function edited(edit: (doc: { version: string; rules: Record<string, Record<string, unknown>> }) => void): string {
  const doc = parse(shipped);
  edit(doc);
  return stringify(doc);
}

function open(watch: boolean, results: ReloadResult[] = []): RulesStore {
  const store = new RulesStore({ path: file, watch, logger, onReload: (r) => results.push(r), debounceMs: 20 });
  stores.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'txm-rules-'));
  file = join(dir, 'rules.yaml');
  writeFileSync(file, shipped);
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rules file', () => {
  it('ships a valid, versioned file with every rule live', () => {
    const { version, rules } = readRulesFile(DEFAULT_RULES_FILE);
    expect(version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(Object.keys(rules).sort()).toEqual([...RULE_NAMES].sort());
    expect(Object.values(rules).every((r) => r.mode === 'live')).toBe(true);
  });

  it('refuses a file with a missing rule, an unknown key or a bad threshold, naming each problem', () => {
    writeFileSync(
      file,
      edited((doc) => {
        delete doc.rules.structuring;
        doc.rules.velocity = { ...doc.rules.velocity, weight: 300, windows: [] };
        doc.rules.balance_drain = { ...doc.rules.balance_drain, remainingFracton: 0.2 };
      }),
    );
    expect(() => open(false)).toThrow(RulesFileError);
    try {
      open(false);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(file);
      expect(message).toContain('rules.structuring');
      expect(message).toContain('rules.velocity.weight');
      expect(message).toContain('rules.velocity.windows');
      expect(message).toContain('remainingFracton');
    }
  });

  it('refuses windows longer than the 24 hours a profile remembers, and amounts that are not minor units', () => {
    writeFileSync(
      file,
      edited((doc) => {
        doc.rules.structuring = { ...doc.rules.structuring, windowHours: 48 };
        doc.rules.test_then_large = { ...doc.rules.test_then_large, tinyMax: { default: '1.50' } };
      }),
    );
    expect(() => readRulesFile(file)).toThrow(/rules\.structuring\.windowHours: Too big/);
    expect(() => readRulesFile(file)).toThrow(
      /rules\.test_then_large\.tinyMax\.default: must be a non-negative integer/,
    );
  });

  it('refuses counts above the 200 recent outgoing transactions a profile remembers (a rule that could never fire)', () => {
    for (const edit of [
      (doc: { rules: Record<string, Record<string, unknown>> }) => {
        const velocity = doc.rules.velocity as { windows: Record<string, unknown>[] };
        velocity.windows = [{ ...velocity.windows[0], maxCount: 201 }];
      },
      (doc: { rules: Record<string, Record<string, unknown>> }) => {
        doc.rules.structuring = { ...doc.rules.structuring, minCount: 201 };
      },
      (doc: { rules: Record<string, Record<string, unknown>> }) => {
        doc.rules.test_then_large = { ...doc.rules.test_then_large, minTinyCount: 201 };
      },
    ]) {
      writeFileSync(file, edited(edit));
      expect(() => readRulesFile(file)).toThrow(/must be at most 200: a profile remembers/);
    }
    writeFileSync(
      file,
      edited((doc) => {
        doc.rules.structuring = { ...doc.rules.structuring, minCount: 200 };
      }),
    );
    expect(readRulesFile(file).rules.structuring.minCount).toBe(200);
  });

  it('picks up a changed file without a restart, including one replaced by rename', async () => {
    const results: ReloadResult[] = [];
    const store = open(true, results);
    writeFileSync(
      file,
      edited((doc) => {
        doc.version = '2026-12-01.1';
      }),
    );
    await waitFor(() => store.current().version === '2026-12-01.1', { what: 'reload after write', timeoutMs: 5_000 });
    writeFileSync(
      join(dir, 'next.yaml'),
      edited((doc) => {
        doc.version = '2026-12-02.1';
        doc.rules.velocity = { ...doc.rules.velocity, mode: 'shadow' };
      }),
    );
    renameSync(join(dir, 'next.yaml'), file);
    await waitFor(() => store.current().version === '2026-12-02.1', { what: 'reload after rename', timeoutMs: 5_000 });
    expect(store.current().rules.velocity.mode).toBe('shadow');
    expect(results.filter((r) => r.status === 'reloaded').map((r) => 'version' in r && r.version)).toEqual([
      '2026-12-01.1',
      '2026-12-02.1',
    ]);
  });

  it('reloads on SIGHUP, and keeps the rules in force when the new file is invalid', () => {
    const results: ReloadResult[] = [];
    const store = open(false, results);
    writeFileSync(
      file,
      edited((doc) => {
        doc.version = '2026-12-03.1';
      }),
    );
    process.emit('SIGHUP', 'SIGHUP');
    expect(store.current().version).toBe('2026-12-03.1');

    writeFileSync(file, 'version: broken\nrules: [');
    process.emit('SIGHUP', 'SIGHUP');
    expect(store.current().version).toBe('2026-12-03.1');
    process.emit('SIGHUP', 'SIGHUP');
    expect(results.map((r) => r.status)).toEqual(['reloaded', 'refused', 'refused']);

    store.close();
    writeFileSync(file, shipped);
    process.emit('SIGHUP', 'SIGHUP');
    expect(store.current().version).toBe('2026-12-03.1');
  });
});
