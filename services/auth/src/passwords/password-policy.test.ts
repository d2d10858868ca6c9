import { afterAll, describe, expect, it } from 'vitest';
import { commonPasswords } from './common-passwords';
import { HashingPool } from './hashing-pool';
import { PasswordHasher } from './password-hasher';
import { type PolicySettings, passwordLength, quickViolations } from './password-policy';
import { PasswordPolicy } from './password-policy-service';
import { StrengthEstimator } from './strength';

const settings: PolicySettings = {
  minLength: 12,
  maxLength: 128,
  minStrength: 3,
  history: 5,
  requireComposition: false,
};
const email = 'ada.lovelace@example.com';
const busy = () => new Error('busy');

const hashing = new HashingPool({ concurrency: 2, queueMax: 10 }, busy);
const hasherReady = PasswordHasher.create({ memoryCost: 4096, timeCost: 1, parallelism: 1 }, []);
const strength = new StrengthEstimator(busy);
afterAll(() => strength.close());

async function reasons(password: string, options: Partial<PolicySettings> = {}, recent: string[] = []) {
  const hasher = await hasherReady;
  const policy = new PasswordPolicy({ ...settings, ...options }, commonPasswords(), strength, hasher, hashing);
  const stored = await Promise.all(recent.map((p) => hasher.hash(p)));
  return (await policy.violations(password, email, stored)).map((v) => v.reason);
}

describe('password policy', () => {
  it('ships a list of at least 10,000 common passwords, compared case-insensitively', () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(10_000);
    expect(quickViolations('1QAZ2WSX3EDC', email, settings, commonPasswords()).map((v) => v.reason)).toContain(
      'common',
    );
  });

  it('accepts a long random passphrase', async () => {
    expect(await reasons('Quill-7hX2pL9vQm-harbour')).toEqual([]);
  });

  it('counts length in characters after NFKC, any Unicode allowed', async () => {
    // Code points, not UTF-16 units: twelve emoji are twelve characters (24 units).
    expect(passwordLength('😀'.repeat(12))).toBe(12);
    // NFKC first: the one-character ligature "ﬃ" counts as "ffi".
    expect(passwordLength('ﬃ')).toBe(3);
    expect(await reasons('ｐｏｔａｔｏ ｓｕｎ😀')).toContain('too_short');
    expect(await reasons('éléphant-🐘-déjà-vu-Ωmega')).toEqual([]);
    expect(await reasons(`${'Zq9!'.repeat(32)}x`)).toEqual(['too_long']);
  });

  it('refuses the email, its local part, and passwords that resemble them', async () => {
    expect(await reasons('ADA.LOVELACE@example.com!')).toContain('contains_email');
    expect(await reasons('my-ada.lovelace-secret')).toContain('contains_email');
    expect(await reasons('Lovelace.Ada.1815!')).toContain('resembles_email');
    expect(await reasons('4d4l0v3l4c3-rules')).toContain('resembles_email');
    expect(await reasons('lovelace-tangerine-orbit-9')).toEqual([]);
  });

  it('refuses a weak password with zxcvbn feedback', async () => {
    const hasher = await hasherReady;
    const policy = new PasswordPolicy(settings, commonPasswords(), strength, hasher, hashing);
    const [violation] = await policy.violations('qwertyuiop123456', email);
    expect(violation?.reason).toBe('too_weak');
    expect(violation?.message).toBeTruthy();
    expect(violation?.feedback?.suggestions.length).toBeGreaterThan(0);
  });

  it('refuses any of the last passwords, and only the last ones', async () => {
    const old = ['Quill-first-Xk29fLw', 'Quill-second-Pz81qAa'];
    expect(await reasons('Quill-first-Xk29fLw', {}, old)).toEqual(['reused']);
    expect(await reasons('Quill-first-Xk29fLw', { history: 1 }, old.slice(1))).toEqual([]);
  });

  it('has composition rules as an option, off by default', async () => {
    const password = 'tangerine orbit lantern marsh';
    expect(await reasons(password)).toEqual([]);
    expect(await reasons(password, { requireComposition: true })).toEqual(['missing_uppercase', 'missing_digit']);
  });

  it('gives every reason at once, each with a message', async () => {
    const hasher = await hasherReady;
    const policy = new PasswordPolicy(settings, commonPasswords(), strength, hasher, hashing);
    const violations = await policy.violations('password', email);
    expect(violations.map((v) => v.reason)).toEqual(['too_short', 'common', 'too_weak']);
    for (const v of violations) expect(v.message.length).toBeGreaterThan(5);
  });
});
