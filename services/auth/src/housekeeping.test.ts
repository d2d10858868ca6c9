import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailKey } from './accounts/email';
import type { AuthContext } from './auth-context';
import { pruneAuthTables } from './housekeeping';
import { readRiskPolicyFile } from './risk/policy-file';
import { DEFAULT_RISK_POLICY_FILE } from './risk/policy-store';
import { type AuthHarness, startAuth } from './testing/harness';

let auth: AuthHarness;
// The shipped risk policy: a 15-minute stuffing window, theft suspicions open for 72 hours.
const risk = { current: () => readRiskPolicyFile(DEFAULT_RISK_POLICY_FILE).policy };
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

describe('housekeeping', () => {
  it('drops idle counters, old IP windows and long-expired tokens, and keeps hard locks', async () => {
    const { accountId, email } = await auth.register();
    const nobody = `nobody-${accountId.slice(0, 8)}@example.com`;
    for (let i = 0; i < 2; i++) {
      await auth.signIn(email, 'not-the-password-at-all', { ip: '192.0.2.9' });
      await auth.signIn(nobody, 'not-the-password-at-all', { ip: '192.0.2.9' });
    }
    const old = new Date(Date.now() - 10 * 86_400_000);
    const key = emailKey(email.toLowerCase());
    await auth.db.db
      .updateTable('auth_lockouts')
      .set({ updated_at: old })
      .where('email_key', 'in', [key, emailKey(nobody)])
      .execute();
    await auth.db.db
      .insertInto('auth_lockouts')
      .values({ email_key: 'hard', subject: 'any', failures: 0, window_started_at: old, hard: true, updated_at: old })
      .execute();
    await auth.db.db.updateTable('auth_ip_failures').set({ window_started_at: old }).execute();
    const token = (hash: string, expiresAt: Date) => ({
      token_hash: hash,
      purpose: 'unlock' as const,
      account_id: accountId,
      created_at: old,
      expires_at: expiresAt,
    });
    await auth.db.db
      .insertInto('auth_one_time_tokens')
      .values([token('expired-long-ago', old), token('still-valid', new Date(Date.now() + 3_600_000))])
      .execute();
    const suspicion = (eventId: string, suspectedAt: Date) => ({
      event_id: eventId,
      account_id: accountId,
      suspected_at: suspectedAt,
      score: 80,
      rules_version: 'r1',
    });
    await auth.db.db
      .insertInto('auth_risk_theft_suspicions')
      .values([
        suspicion('7d9c2b1a-5e4f-4a3b-8c2d-1e0f9a8b7c6d', old),
        suspicion('0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10', new Date()),
      ])
      .execute();
    await auth.db.db.updateTable('auth_risk_source_attempts').set({ last_attempt_at: old }).execute();
    const ctx = { db: auth.db.db, clock: auth.clock.now, config: auth.config, risk } as unknown as AuthContext;
    await pruneAuthTables(ctx);
    // The risk check's stuffing attempts past the window and suspicions no longer open.
    expect(await auth.db.db.selectFrom('auth_risk_source_attempts').selectAll().execute()).toEqual([]);
    const suspicions = await auth.db.db.selectFrom('auth_risk_theft_suspicions').select('event_id').execute();
    expect(suspicions).toEqual([{ event_id: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10' }]);
    const counters = await auth.db.db.selectFrom('auth_lockouts').select('email_key').execute();
    // The unknown email's idle counter goes; the account's unfinished run of failures stays (lockout
    // profiles: the nist bound counts consecutive failures at any pace), as do hard locks.
    expect(counters.map((c) => c.email_key).sort()).toEqual([key, 'hard'].sort());
    expect(await auth.db.db.selectFrom('auth_ip_failures').selectAll().execute()).toEqual([]);
    const tokens = await auth.db.db.selectFrom('auth_one_time_tokens').select('token_hash').execute();
    expect(tokens.map((t) => t.token_hash)).toEqual(['still-valid']);
  });
  it('drops long-expired mfa tokens and enrolments never confirmed in time, and keeps two-factor that is on', async () => {
    const stale = await auth.register();
    const fresh = await auth.register();
    const enabled = await auth.register();
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000);
    const sealed = { ciphertext: 'c', keyId: 'dev' };
    const pending = (accountId: string, createdAt: Date) => ({
      account_id: accountId,
      pending_ciphertext: sealed.ciphertext,
      pending_key_id: sealed.keyId,
      pending_created_at: createdAt,
      updated_at: createdAt,
    });
    await auth.db.db
      .insertInto('auth_totp')
      .values([
        pending(stale.accountId, at(-16)),
        pending(fresh.accountId, at(-1)),
        {
          account_id: enabled.accountId,
          secret_ciphertext: sealed.ciphertext,
          secret_key_id: sealed.keyId,
          enabled_at: at(-600),
          updated_at: at(-600),
        },
      ])
      .execute();
    const challenge = (hash: string, expiresAt: Date) => ({
      token_hash: hash,
      account_id: stale.accountId,
      email_key: 'k',
      counter_subject: 'any',
      context: '{}',
      created_at: at(-3000),
      expires_at: expiresAt,
    });
    await auth.db.db
      .insertInto('auth_mfa_challenges')
      .values([challenge('expired-long-ago', at(-2000)), challenge('expired-just-now', at(-1))])
      .execute();
    const ctx = { db: auth.db.db, clock: auth.clock.now, config: auth.config, risk } as unknown as AuthContext;
    await pruneAuthTables(ctx);
    const totp = await auth.db.db.selectFrom('auth_totp').select('account_id').execute();
    expect(totp.map((t) => t.account_id).sort()).toEqual([fresh.accountId, enabled.accountId].sort());
    const challenges = await auth.db.db.selectFrom('auth_mfa_challenges').select('token_hash').execute();
    expect(challenges.map((c) => c.token_hash)).toEqual(['expired-just-now']);
  });
});
