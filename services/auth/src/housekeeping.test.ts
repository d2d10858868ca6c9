import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailKey } from './accounts/email';
import type { AuthContext } from './auth-context';
import { pruneAuthTables } from './housekeeping';
import { type AuthHarness, startAuth } from './testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

describe('housekeeping', () => {
  it('drops idle counters, old IP windows and long-expired tokens, and keeps hard locks', async () => {
    const { accountId, email } = await auth.register();
    for (let i = 0; i < 2; i++) await auth.signIn(email, 'not-the-password-at-all', { ip: '192.0.2.9' });
    const old = new Date(Date.now() - 10 * 86_400_000);
    const key = emailKey(email.toLowerCase());
    await auth.db.db.updateTable('auth_lockouts').set({ updated_at: old }).where('email_key', '=', key).execute();
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
    const ctx = { db: auth.db.db, clock: auth.clock.now, config: auth.config } as unknown as AuthContext;
    await pruneAuthTables(ctx);
    const counters = await auth.db.db.selectFrom('auth_lockouts').select('email_key').execute();
    expect(counters.map((c) => c.email_key)).toEqual(['hard']);
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
    const ctx = { db: auth.db.db, clock: auth.clock.now, config: auth.config } as unknown as AuthContext;
    await pruneAuthTables(ctx);
    const totp = await auth.db.db.selectFrom('auth_totp').select('account_id').execute();
    expect(totp.map((t) => t.account_id).sort()).toEqual([fresh.accountId, enabled.accountId].sort());
    const challenges = await auth.db.db.selectFrom('auth_mfa_challenges').select('token_hash').execute();
    expect(challenges.map((c) => c.token_hash)).toEqual(['expired-just-now']);
  });
});
