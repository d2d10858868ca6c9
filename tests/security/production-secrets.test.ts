// Kind 6: a production start without a required secret ends in one line per missing variable
// ("config error: NAME: ..."), exit status 1, before any database is opened: never in a stack
// trace from deep inside start-up. Every service, every secret it needs: the list below is what
// production refuses to start without, so a new secret joins it or the first test fails.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@wallet-guard/config';
import { cleanEnv, freePort } from '@wallet-guard/testing';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const apiKeys = (scope: string) => `caller:${scope}:${sha256Hex(`a-long-random-${scope}-key`)}`;
const SIGNING_KEYS = JSON.stringify([
  {
    kid: 'k1',
    jwk: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'gSWsmC-kUGX4hVcKe2vQhxHAJLGFqmF-KO84JWmL8LQ',
      d: 'Lzf7xvcTcYXOi4WDxXFOjR0XEcyIqfo-AQY7qqUdzKE',
    },
  },
]);

/** What each service refuses to start without in production, with a value it accepts. */
const REQUIRED = {
  auth: {
    entry: 'services/auth/src/server.ts',
    secrets: {
      AUTH_API_KEYS: apiKeys('wallet'),
      AUTH_JWT_SIGNING_KEYS: SIGNING_KEYS,
      AUTH_TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      // Not secrets, but production refuses to guess them: passkeys bind to the portal's domain and origins.
      AUTH_WEBAUTHN_RP_ID: 'wallet.example',
      AUTH_WEBAUTHN_ORIGINS: 'https://account.wallet.example',
    },
  },
  monitor: {
    entry: 'services/transaction-monitor/src/server.ts',
    secrets: { MONITOR_API_KEYS: apiKeys('wallet') },
  },
  cases: {
    entry: 'services/support-cases/src/server.ts',
    secrets: {
      CASES_API_KEYS: apiKeys('internal'),
      CASES_AUTH_API_KEY: 'an-internal-key-for-auth-0123456789',
      CASES_MONITOR_API_KEY: 'an-internal-key-for-monitor-0123456789',
      CASES_NOTIFIER_API_KEY: 'an-internal-key-for-notifier-0123456789',
      CASES_AGENT_JWKS: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'not-the-development-key' }] }),
    },
  },
  notifier: {
    entry: 'services/notifier/src/server.ts',
    secrets: {
      NOTIFIER_API_KEYS: apiKeys('internal'),
      NOTIFIER_AUTH_API_KEY: 'an-internal-key-for-auth-0123456789',
      // Where messages go: production refuses neither SMTP nor webhook (and SMTP without a From).
      NOTIFIER_SMTP_URL: 'smtp://mailer:a-mail-password@smtp.example.com:587',
      NOTIFIER_FROM: 'Wallet Guard <security@wallet.example>',
      NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example',
    },
  },
  portal: {
    entry: 'services/account-portal/src/server.ts',
    secrets: {
      PORTAL_AUTH_API_KEY: 'a-wallet-key-for-the-portal-0123456789',
      PORTAL_CASES_API_KEY: 'a-cases-key-for-the-portal-0123456789',
      PORTAL_MONITOR_API_KEY: 'a-monitor-key-for-the-portal-0123456789',
      PORTAL_SESSION_KEY: Buffer.alloc(32, 9).toString('base64'),
    },
  },
} as const;

/** Runs a service's entry point and collects what it printed and how it ended. */
async function start(entry: string, env: Record<string, string>) {
  // A database nobody listens on: a start that got past its configuration would fail there, later.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: cleanEnv({
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/none`,
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('production start without a required secret', () => {
  for (const [service, { entry, secrets }] of Object.entries(REQUIRED)) {
    for (const missing of Object.keys(secrets)) {
      it(`${service}: without ${missing} prints one configuration line and exits 1 before opening anything`, async () => {
        const env: Record<string, string> = { ...secrets };
        delete env[missing];
        const { code, stdout, stderr } = await start(entry, env);
        expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^config error: ${missing}: `))]);
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(stdout).not.toMatch(/database|listening/i);
        expect(code).toBe(1);
      }, 60_000);
    }
  }
});
