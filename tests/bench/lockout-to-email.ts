// Lockout latency, two paths of the same event side by side in one run: from the answer to the
// sign-in attempt that locks an account to (1) a real SMTP server (smtp-server, in-process)
// accepting the unlock e-mail (auth's outbox relay, Kafka, the notifier: render, record, send),
// and (2) support-cases holding the lockout case (relay, Kafka, the cases consumer). The
// notifier's cost reads as a ratio on the same machine and load.
//
//   node --import tsx tests/bench/lockout-to-email.ts        (BENCH_ACCOUNTS=100 by default)
//
// Needs Postgres and Kafka (as the tests do). The services run in this process with the
// production default OUTBOX_POLL_INTERVAL_MS (100 ms); accounts are locked one after another so
// each figure is one incident's path, not a queue. Half the accounts are zh-CN, half en.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { prepareTemplateDatabase, startSmtpSink } from '@wallet-guard/testing';
import { startSystem } from '../e2e/system';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100);
const password = 'Quiet-lantern-orbit-2026!';
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

await prepareTemplateDatabase();
const smtp = await startSmtpSink();
const system = await startSystem(
  { OUTBOX_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'warn' },
  { notifier: { NOTIFIER_SMTP_URL: smtp.url, NOTIFIER_FROM: 'Wallet Guard <security@wallet.example>' } },
);
const toEmail: number[] = [];
const toCase: number[] = [];
try {
  for (let i = 0; i < ACCOUNTS; i++) {
    const email = `bench-${randomUUID()}@example.com`;
    const registered = await fetch(`${system.auth.url}/v1/accounts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password, locale: i % 2 === 0 ? 'zh-CN' : 'en' }),
    });
    const { accountId } = (await registered.json()) as { accountId: string };
    for (let attempt = 0; attempt < 4; attempt++)
      await post(system.auth.url, '/v1/sessions', { email, password: 'wrong-guess-0' });
    await post(system.auth.url, '/v1/sessions', { email, password: 'wrong-guess-0' }); // the fifth failure locks
    const locked = performance.now();
    const mail = smtp.waitFor((m) => m.envelope.to.includes(email), 30_000).then(() => performance.now() - locked);
    const kase = (async () => {
      for (;;) {
        const found = await system.cases.db.db
          .selectFrom('cases')
          .select('id')
          .where('account_id', '=', accountId)
          .executeTakeFirst();
        if (found) return performance.now() - locked;
        if (performance.now() - locked > 30_000) throw new Error(`no case for ${accountId} after 30 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const [mailMs, caseMs] = await Promise.all([mail, kase]);
    toEmail.push(mailMs);
    toCase.push(caseMs);
  }
} finally {
  await system.stop();
  await smtp.close();
}
toEmail.sort((a, b) => a - b);
toCase.sort((a, b) => a - b);
const f = (ms: number) => `${ms.toFixed(0)} ms`;
const ratio = (p: number) => (percentile(toEmail, p) / percentile(toCase, p)).toFixed(2);
process.stdout.write(
  [
    `over ${ACCOUNTS} lockouts, one after another (relay poll 100 ms; half zh-CN, half en):`,
    `lockout -> unlock e-mail accepted by the SMTP server: p50 ${f(percentile(toEmail, 50))}, p99 ${f(percentile(toEmail, 99))}, max ${f(toEmail[toEmail.length - 1] ?? Number.NaN)}`,
    `lockout -> case held by support-cases (same run):     p50 ${f(percentile(toCase, 50))}, p99 ${f(percentile(toCase, 99))}, max ${f(toCase[toCase.length - 1] ?? Number.NaN)}`,
    `e-mail / case: ${ratio(50)} at p50, ${ratio(99)} at p99`,
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
  ].join('\n'),
);
