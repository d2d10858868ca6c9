import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { testEnv } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthServer } from '../server';
import { type AuthHarness, FAST_ARGON2, startAuth, WALLET_KEY } from '../testing/harness';
import { enrolledUser, nextCode } from '../testing/two-factor';
import { reencryptSecrets } from './reencrypt';
import { SecretBox } from './secret-box';

const keyOf = (id: string, fill: number) => ({ id, keyBase64: Buffer.alloc(32, fill).toString('base64') });
const asEnv = (...keys: Array<{ id: string; keyBase64: string }>) =>
  keys.map((k) => `${k.id}:${k.keyBase64}`).join(',');
const OLD = keyOf('k2025', 1);
const NEW = keyOf('k2026', 2);
const NEWER = keyOf('k2027', 3);

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth({ env: { AUTH_TOTP_ENCRYPTION_KEYS: asEnv(OLD) } });
});
afterAll(() => auth.close());

const stored = async () =>
  (await auth.db.db.selectFrom('auth_totp').selectAll().orderBy('account_id').execute()).map((r) => ({
    keyId: r.secret_key_id ?? r.pending_key_id,
    ciphertext: r.secret_ciphertext ?? r.pending_ciphertext,
  }));
const keyIds = async () => (await stored()).map((r) => r.keyId);

/** The command as an operator runs it (`pnpm --filter @wallet-guard/auth totp:reencrypt`), on this file's database. */
const reencryptCommand = (keys: string) =>
  promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./bin/reencrypt-secrets.ts', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...testEnv(auth.db), AUTH_TOTP_ENCRYPTION_KEYS: keys },
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('re-encrypting every TOTP secret under a new key', () => {
  it('moves active and pending secrets to the first key; they still verify with only that key', async () => {
    const users = [await enrolledUser(auth), await enrolledUser(auth)];
    const pending = await auth.register();
    const { accessToken } = (await auth.signIn(pending.email, pending.password)).json();
    await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' }, accessToken);
    expect(await keyIds()).toEqual(['k2025', 'k2025', 'k2025']);
    const before = (await stored()).map((r) => r.ciphertext);

    const report = await reencryptSecrets(auth.db.db, new SecretBox([NEW, OLD]), 2);
    expect(report).toEqual({ reencrypted: 3, skipped: 0, failed: [] });
    expect(await keyIds()).toEqual(['k2026', 'k2026', 'k2026']);
    expect((await stored()).filter((r) => before.includes(r.ciphertext))).toEqual([]);
    expect(await reencryptSecrets(auth.db.db, new SecretBox([NEW, OLD]))).toEqual({
      reencrypted: 0,
      skipped: 0,
      failed: [],
    });

    const run = await reencryptCommand(asEnv(NEWER, NEW));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('current key: k2027');
    expect(run.stdout).toContain('re-encrypted: 3, changed meanwhile: 0, failed: 0');
    expect(await keyIds()).toEqual(['k2027', 'k2027', 'k2027']);

    // A server that knows only the newest key signs both users in with their authenticator codes.
    const config = parseConfig(
      authConfigSchema,
      testEnv(auth.db, undefined, { ...FAST_ARGON2, AUTH_TOTP_ENCRYPTION_KEYS: asEnv(NEWER) }),
    );
    const server = await createAuthServer(config, auth.infra, undefined, { clock: auth.clock.now });
    try {
      for (const user of users) {
        const inject = (url: string, payload: object) =>
          server.inject({ method: 'POST', url, headers: { 'x-api-key': WALLET_KEY }, payload });
        const { mfaToken } = (await inject('/v1/sessions', { email: user.email, password: user.password })).json();
        const res = await inject('/v1/sessions/mfa', { mfaToken, code: nextCode(auth, user.secret) });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('reports, and exits 1 for, secrets under a key that is no longer configured', async () => {
    const user = await enrolledUser(auth);
    const report = await reencryptSecrets(auth.db.db, new SecretBox([NEWER]));
    expect(report.failed).toEqual([user.accountId]);
    const failed = await reencryptCommand(asEnv(NEWER));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(user.accountId);
  });
});
