// The portal in front of the whole system: auth, the monitor, support-cases and the notifier on
// one Kafka broker, e-mail to a real SMTP server, the notifier's links pointing at this portal
// (which lists a customer's recent transactions from that monitor).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { startTestPortal, type TestPortal } from '@wallet-guard/account-portal/testing';
import type { WalletTransaction } from '@wallet-guard/contracts';
import { type SinkMessage, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type System, startSystem } from '../e2e/system';

export interface PortalSystem {
  system: System;
  smtp: SmtpSink;
  portal: TestPortal;
  /** The portal's origin, e.g. http://127.0.0.1:41234 (the notifier's NOTIFIER_LINK_BASE_URL). */
  url: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now, so the notifier can be told the portal's URL before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * `env` goes to every service of the system (e.g. auth's `AUTH_RECENT_SIGN_IN_SECONDS`), `portalEnv`
 * to the portal; `env` may be a function of the portal's URL (auth's `AUTH_WEBAUTHN_ORIGINS`).
 */
export async function startPortalSystem(
  env: Record<string, string> | ((portalUrl: string) => Record<string, string>) = {},
  portalEnv: Record<string, string> = {},
): Promise<PortalSystem> {
  const smtp = await startSmtpSink();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const system = await startSystem(typeof env === 'function' ? env(url) : env, {
    notifier: { NOTIFIER_SMTP_URL: smtp.url, NOTIFIER_LINK_BASE_URL: url },
  });
  // Many posts from one address (127.0.0.1) in a few seconds: the portal's own limit is tested by its unit tests.
  const portal = await startTestPortal({
    authUrl: system.auth.url,
    casesUrl: system.cases.url,
    monitorUrl: system.monitor.url,
    env: { PORTAL_RATE_LIMIT_PER_MINUTE: '10000', PORTAL_SUPPORT_EMAIL: 'help@wallet.example', ...portalEnv },
  });
  await portal.server.listen({ host: '127.0.0.1', port });
  return {
    system,
    smtp,
    portal,
    url,
    stop: async () => {
      await portal.close();
      await system.stop();
      await smtp.close();
    },
  };
}

const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

/** A call to one of the services' JSON APIs (what the wallet backend or an agent would do). */
export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = wallet,
) {
  const sent =
    body === undefined ? Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type')) : headers;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: sent,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The link to `path` (`/unlock`, ...) in an e-mail's text, fragment and all. */
export function linkIn(mail: SinkMessage, base: string, path: string): string {
  const escaped = `${base}${path}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`${escaped}#token=[^\\s"<>]+`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[0];
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page (injected through the debugger, so the page's CSP, which forbids
 * inline script, does not have to be loosened) and fails on any serious or critical violation;
 * then checks the page has no horizontal scroll at its viewport.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  expect(violations, what).toEqual([]);
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow, `${what}: horizontal scroll`).toBeLessThanOrEqual(0);
}

/** The password of every account the portal tests register. */
export const PASSWORD = 'Quiet-lantern-orbit-2026!';

/** A new account through auth's API, as the wallet backend registers one. */
export async function register(env: PortalSystem, locale = 'en'): Promise<{ email: string; accountId: string }> {
  const email = `customer-${randomUUID().slice(0, 8)}@example.com`;
  const res = await api(env.system.auth.url, 'POST', '/v1/accounts', { email, password: PASSWORD, locale });
  expect(res.status).toBe(201);
  return { email, accountId: res.body.accountId };
}

/**
 * Turns two-step verification on through auth's API (codes computed with otplib): the secret, the
 * recovery codes, and the refresh token of the session that did it.
 */
export async function enrolTotp(
  env: PortalSystem,
  email: string,
): Promise<{ secret: string; recoveryCodes: string[]; refreshToken: string }> {
  const session = await api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: PASSWORD });
  expect(session.status).toBe(200);
  const user = { ...wallet, authorization: `Bearer ${session.body.accessToken}` };
  const started = await api(env.system.auth.url, 'POST', '/v1/accounts/me/totp', { password: PASSWORD }, user);
  expect(started.status).toBe(201);
  const secret = started.body.secret as string;
  const code = generateSync({ secret });
  const confirmed = await api(env.system.auth.url, 'POST', '/v1/accounts/me/totp/confirm', { code }, user);
  expect(confirmed.status).toBe(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes, refreshToken: session.body.refreshToken };
}

/**
 * The wallet's transactions through the monitor's API (`POST /v1/transactions`, as a wallet
 * without Kafka sends them), once the monitor lists every one of them for its account.
 */
export async function submitTransactions(env: PortalSystem, transactions: WalletTransaction[]): Promise<void> {
  const res = await api(env.system.monitor.url, 'POST', '/v1/transactions', { transactions });
  expect([res.status, res.body.accepted]).toEqual([202, transactions.length]);
  const listed = async (accountId: string) =>
    (await api(env.system.monitor.url, 'GET', `/v1/accounts/${accountId}/transactions?limit=100`)).body.items.map(
      (t: { transactionId: string }) => t.transactionId,
    );
  await waitFor(
    async () => {
      for (const tx of transactions) if (!(await listed(tx.accountId)).includes(tx.transactionId)) return false;
      return true;
    },
    { what: 'the transactions applied by the monitor' },
  );
}
