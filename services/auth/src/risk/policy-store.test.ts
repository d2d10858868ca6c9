import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RiskPolicyFileError, readRiskPolicyFile } from './policy-file';
import { DEFAULT_RISK_POLICY_FILE, type PolicyReloadResult, RiskPolicyStore } from './policy-store';

let dir: string;
let file: string;
const logged: { level: string; message: string; fields: object }[] = [];
const logger = {
  info: (fields: object, message?: string) => {
    logged.push({ level: 'info', message: message ?? '', fields });
  },
  error: (fields: object, message?: string) => {
    logged.push({ level: 'error', message: message ?? '', fields });
  },
} as unknown as ConstructorParameters<typeof RiskPolicyStore>[0]['logger'];
const shipped = readFileSync(DEFAULT_RISK_POLICY_FILE, 'utf8');
const withVersion = (version: string) => shipped.replace('version: "2026-11-30.1"', `version: "${version}"`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'risk-policy-'));
  file = join(dir, 'policy.yaml');
  copyFileSync(DEFAULT_RISK_POLICY_FILE, file);
  logged.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the risk policy file', () => {
  it('the shipped file validates, with its version and every signal', () => {
    const { policy } = readRiskPolicyFile(DEFAULT_RISK_POLICY_FILE);
    expect(policy.version).toBe('2026-11-30.1');
    expect(Object.keys(policy.signals).sort()).toEqual([
      'credential_stuffing',
      'freeze_history',
      'impossible_travel',
      'new_country',
      'new_device',
      'new_ip',
      'password_blocklisted',
      'theft_suspected',
    ]);
  });

  it('a bad file stops the start with a message naming the file and each bad field', () => {
    writeFileSync(
      file,
      shipped
        .replace('windowSeconds: 900', 'windowSeconds: 5')
        .replace('  new_ip:\n    weight: 5\n', '')
        .replace('stepUpAt: 50', 'stepUpAt: 500'),
    );
    expect(() => new RiskPolicyStore({ path: file, logger })).toThrow(RiskPolicyFileError);
    let message = '';
    try {
      readRiskPolicyFile(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`risk policy file ${file} is invalid`);
    expect(message).toContain('signals.credential_stuffing.windowSeconds:');
    expect(message).toContain('signals.new_ip:');
    expect(message).toContain('decision.stepUpAt: stepUpAt must not exceed denyAt');
  });

  it('refuses unknown keys, and a file that is not YAML, naming the file', () => {
    writeFileSync(file, shipped.replace('  new_ip:\n', '  new_ipp:\n    weight: 5\n  new_ip:\n'));
    expect(() => readRiskPolicyFile(file)).toThrow(/signals: Unrecognized key: "new_ipp"/);
    writeFileSync(file, 'version: [unclosed');
    expect(() => readRiskPolicyFile(file)).toThrow(new RegExp(`risk policy file ${file} is invalid`));
    expect(() => readRiskPolicyFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml is invalid/);
  });
});

describe('reloading the risk policy', () => {
  it('reloads on SIGHUP, keeps the policy in force when the new file is invalid, and logs why', () => {
    const results: PolicyReloadResult[] = [];
    const store = new RiskPolicyStore({ path: file, logger, onReload: (r) => results.push(r) });
    try {
      expect(store.current().version).toBe('2026-11-30.1');

      writeFileSync(file, withVersion('v2').replace('stepUpAt: 50', 'stepUpAt: 40'));
      process.emit('SIGHUP', 'SIGHUP');
      expect(store.current()).toMatchObject({ version: 'v2', decision: { stepUpAt: 40 } });

      writeFileSync(file, withVersion('v3').replace('weight: 50\n    windowSeconds', 'weight: -1\n    windowSeconds'));
      process.emit('SIGHUP', 'SIGHUP');
      expect(store.current().version).toBe('v2');
      expect(results.map((r) => r.status)).toEqual(['reloaded', 'refused']);
      const refusal = logged.find((l) => l.level === 'error');
      expect(refusal?.message).toBe('risk policy file refused; the previous policy stays in force');
      expect(refusal?.fields).toMatchObject({ policyVersion: 'v2' });
      expect(JSON.stringify(refusal?.fields)).toContain('signals.credential_stuffing.weight');

      // The same bytes again: nothing to swap.
      writeFileSync(file, withVersion('v2').replace('stepUpAt: 50', 'stepUpAt: 40'));
      expect(store.reload()).toEqual({ status: 'unchanged', version: 'v2' });
    } finally {
      store.close();
    }
    // Closed: SIGHUP no longer reaches it.
    writeFileSync(file, withVersion('v4'));
    process.emit('SIGHUP', 'SIGHUP');
    expect(store.current().version).toBe('v2');
  });
});
