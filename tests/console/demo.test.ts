// README command 1 with --demo: the standalone process on embedded Postgres, no broker. The demo
// must end with the cases it promises, each carrying its evidence, and the console must show them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseView, MonitorFlag, SecurityEvent } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import { captureOutput, cleanEnv, freePort, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './artifacts';
import { launchBrowser } from './browser';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'wg-demo-'));
let demo: ChildProcess;
let output = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  await ensureConsoleBuilt();
  const ports: number[] = [];
  for (let i = 0; i < 5; i++) ports.push(await freePort());
  const [auth, monitor, cases, notifier, portal] = ports;
  // What `npm start -- --demo` runs once the install step is done.
  demo = spawn(process.execPath, ['--import', 'tsx', 'services/standalone/src/main.ts', '--demo'], {
    cwd: root,
    env: cleanEnv({
      DATA_DIR: dataDir,
      AUTH_PORT: String(auth),
      MONITOR_PORT: String(monitor),
      CASES_PORT: String(cases),
      NOTIFIER_PORT: String(notifier),
      PORTAL_PORT: String(portal),
    }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout?.on('data', (d) => {
    output += d;
  });
  demo.stderr?.on('data', (d) => {
    output += d;
  });
  exited = new Promise((resolve) => demo.once('close', (code) => resolve(code)));
});

afterAll(async () => {
  if (demo?.pid) {
    try {
      process.kill(-demo.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await exited;
  }
  captureOutput(output, { logLinesOnly: true }); // the run's secret scan covers the demo's logs
  rmSync(dataDir, { recursive: true, force: true });
});

interface Printed {
  consoleUrl: string;
  agentToken: string;
  supervisorToken: string;
  numbers: string[];
}

/** What the demo printed for the newcomer, once it says it is ready. */
async function printed(): Promise<Printed> {
  await waitFor(() => /Demo ready|demo failed/.test(output) && /supervisor[^\n]*\n\n\S+/.test(output), {
    timeoutMs: 90_000,
    intervalMs: 250,
    what: `the demo to finish\n${output}`,
  });
  expect(output).not.toContain('demo failed');
  const tokens = [...output.matchAll(/^(ey[\w-]+\.[\w-]+\.[\w-]+)$/gm)].map((m) => m[1] as string);
  return {
    consoleUrl: /Agent console: (http\S+)/.exec(output)?.[1] as string,
    agentToken: tokens[0] as string,
    supervisorToken: tokens[1] as string,
    numbers: [...output.matchAll(/^ {2}(CASE-\d+) /gm)].map((m) => m[1] as string),
  };
}

interface Detail {
  case: CaseView;
  evidence: { kind: string; ref: string }[];
  account: { available: boolean; data: { locked: boolean; twoFactorEnabled: boolean } };
  securityEvents: { available: boolean; data: { items: SecurityEvent[] } };
  flags: { available: boolean; data: { items: MonitorFlag[] } };
}

/**
 * Longer than `printed()`'s 90 s ceiling: the demo starts three services and seeds them while
 * the other test workers hold both cores.
 */
const DEMO_TEST_TIMEOUT_MS = 150_000;

describe('npm start -- --demo', () => {
  it(
    'opens the cases it promises, with their evidence, and prints the console URL and working agent tokens',
    async () => {
      const p = await printed();
      expect(p.consoleUrl).toMatch(/^http:\/\/localhost:\d+\/console\/$/);
      const base = p.consoleUrl.replace(/\/console\/$/, '');
      const get = async <T>(path: string, token = p.agentToken) => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect([path, res.status]).toEqual([path, 200]);
        return (await res.json()) as T;
      };
      expect(await get('/v1/agents/me', p.supervisorToken)).toMatchObject({ name: 'sam', role: 'supervisor' });

      const queue = await get<{ items: CaseView[] }>('/v1/cases');
      const byType = new Map(queue.items.map((c) => [c.type, c]));
      expect(queue.items.map((c) => [c.type, c.priority])).toEqual([
        ['suspected_theft', 'P1'],
        ['transaction_dispute', 'P2'],
        ['account_lockout', 'P3'],
        ['account_lockout', 'P3'],
      ]);
      // The same cases (two P3 lockouts counted in business hours can share a deadline, and the
      // queue breaks that tie by id, not by number).
      expect([...p.numbers].sort()).toEqual(queue.items.map((c) => c.number).sort());

      // The takeover: new-device sign-in, 2FA off, then the drain; one flag with the reasons why.
      const theft = await get<Detail>(`/v1/cases/${byType.get('suspected_theft')?.id}`);
      expect(theft.account).toMatchObject({ available: true, data: { twoFactorEnabled: false } });
      const events = theft.securityEvents.data.items;
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['totp.enabled', 'totp.disabled', 'sign_in.succeeded']),
      );
      expect(events.some((e) => e.type === 'sign_in.succeeded' && e.payload.newDevice)).toBe(true);
      const [flag] = theft.flags.data.items;
      expect(flag).toMatchObject({ decision: 'suspected_theft', transactionType: 'transfer_out' });
      expect(flag?.reasons.map((r) => r.rule)).toEqual(
        expect.arrayContaining(['after_security_change', 'new_counterparty_large', 'balance_drain']),
      );
      expect(theft.evidence).toEqual(
        expect.arrayContaining([
          { kind: 'flag', ref: flag?.id },
          { kind: 'security_event', ref: events.find((e) => e.type === 'totp.disabled')?.eventId },
        ]),
      );

      const lockout = await get<Detail>(`/v1/cases/${byType.get('account_lockout')?.id}`);
      expect(lockout.account.data.locked).toBe(true);
      expect(lockout.securityEvents.data.items.filter((e) => e.type === 'sign_in.failed')).toHaveLength(5);

      // Each locked-out customer was e-mailed an unlock link in their language: the development
      // mailbox (no SMTP server configured) holds them, at the URLs the demo printed.
      const mails = [...output.matchAll(/^ {2}(en|zh-CN) +(.+?) {2}(http:\/\/localhost:\d+\/dev\/mailbox\/\S+)$/gm)];
      expect(mails.map((m) => m[1]).sort()).toEqual(['en', 'zh-CN']);
      expect(output).toMatch(
        /E-mails \(development mailbox: no SMTP server configured\): http:\/\/localhost:\d+\/dev\/mailbox/,
      );
      for (const [, locale, subject, url] of mails) {
        const page = await fetch(url as string);
        expect(page.status).toBe(200);
        const body = await page.text();
        expect(body).toContain(subject);
        if (locale === 'zh-CN') expect(subject).toMatch(/[\u4e00-\u9fff]/);
        else expect(subject).toMatch(/unlock/i);
        expect(body).toContain('/unlock#token=');
      }

      // A customer's way in: the portal's URL and credentials, and they work.
      const portalUrl = /Customer portal \(.*\): (http:\/\/localhost:\d+)/.exec(output)?.[1];
      expect(portalUrl).toBeDefined();
      const signInPage = await fetch(`${portalUrl}/sign-in`);
      expect(signInPage.status).toBe(200);
      expect(output).toMatch(/ {2}sign in as lena\.\S+@example\.com with \S+/);

      const dispute = await get<Detail>(`/v1/cases/${byType.get('transaction_dispute')?.id}`);
      const reviewed = dispute.flags.data.items.find((f) => f.decision === 'review');
      expect(reviewed?.reasons.map((r) => r.rule)).toContain('test_then_large');
      expect(dispute.evidence).toEqual([{ kind: 'transaction', ref: reviewed?.transactionId }]);
    },
    DEMO_TEST_TIMEOUT_MS,
  );

  it(
    'shows those cases in the console at the printed URL, signed in with the printed token',
    async () => {
      const p = await printed();
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.goto(p.consoleUrl);
        await page.getByLabel('Agent token').fill(p.agentToken);
        await page.getByRole('button', { name: 'Sign in' }).click();
        for (const n of p.numbers) await page.getByRole('link', { name: n }).waitFor();
        await screenshot(page, 'demo-queue', 'queue');

        await page.getByRole('link', { name: p.numbers[0] as string }).click();
        await page.getByRole('heading', { name: `${p.numbers[0]} · Suspected theft` }).waitFor();
        const flags = page.getByRole('region', { name: 'Flagged transactions' });
        await flags.getByText('Right after a security change').waitFor();
        expect(await flags.textContent()).toContain('Score 100/100: suspected theft');
        await page.getByRole('region', { name: 'Account' }).getByText('unknown-laptop').waitFor();
        await screenshot(page, 'demo-case', 'case');

        // The same case and queue in Chinese, through the header's switcher.
        await page.getByLabel('Language').selectOption('zh-CN');
        await page.getByRole('heading', { name: `${p.numbers[0]} · 疑似盗刷` }).waitFor();
        const zhFlags = page.getByRole('region', { name: '被标记的交易' });
        await zhFlags.getByText('紧随安全设置变更之后').waitFor();
        expect(await zhFlags.textContent()).toContain('风险评分 100/100：疑似盗刷');
        await screenshot(page, 'demo-zh-CN-case', 'zh-CN-case');
        await page.getByRole('link', { name: '返回工单队列' }).click();
        await page.getByRole('heading', { name: '工单队列' }).waitFor();
        for (const n of p.numbers) await page.getByRole('link', { name: n }).waitFor();
        await screenshot(page, 'demo-zh-CN-queue', 'zh-CN-queue');
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    DEMO_TEST_TIMEOUT_MS,
  );
});
