// `pnpm backtest --rules FILE --from T1 --to T2 [--json]`: replays the stored transactions and
// security events of the period through the candidate rules, in memory (nothing is written), and
// prints what changes against live and against agents' labels. Reads DATABASE_URL (or the
// embedded database in DATA_DIR) and the decision thresholds (MONITOR_REVIEW_THRESHOLD,
// MONITOR_THEFT_THRESHOLD) like the monitor. Exit codes: 0 done, 2 bad arguments or an invalid
// rules file (stderr names each problem), 1 anything else (the database unreachable...).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, monitorConfigSchema } from '@wallet-guard/config';
import { openDatabase } from '@wallet-guard/db';
import { BACKTEST_USAGE, parseBacktestArguments } from '../cli-arguments';
import { renderBacktestReport } from '../report-table';
import { BacktestRefused, parseCandidateRules, runBacktest } from '../run-backtest';

const fail = (code: number, problems: string[]): never => {
  process.stderr.write(`backtest: ${problems.join('\nbacktest: ')}\n`);
  if (code === 2) process.stderr.write(BACKTEST_USAGE);
  process.exit(code);
};

const parsed = parseBacktestArguments(process.argv.slice(2));
if (!parsed.ok) fail(2, parsed.problems);
const args = parsed.ok ? parsed.args : (undefined as never);

// pnpm runs scripts from the workspace root: a relative path is the caller's (INIT_CWD).
const rulesPath = resolve(process.env.INIT_CWD ?? process.cwd(), args.rulesPath);
let text = '';
try {
  text = readFileSync(rulesPath, 'utf8');
} catch (error) {
  fail(2, [`cannot read rules file ${args.rulesPath}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`]);
}
let candidate: ReturnType<typeof parseCandidateRules> | undefined;
try {
  candidate = parseCandidateRules(text);
} catch (error) {
  if (!(error instanceof BacktestRefused)) throw error;
  fail(2, [`rules file ${args.rulesPath} is invalid:`, ...error.problems.map((p) => `  ${p}`)]);
}

const config = loadConfig(monitorConfigSchema);
const { dataDir } = config.database;
const handle = await openDatabase({
  url: config.database.url,
  dataDir: dataDir === ':memory:' ? dataDir : join(dataDir, 'pglite'),
  poolMax: 2,
  applicationName: 'transaction-monitor-backtest',
});
try {
  const report = await runBacktest(
    handle.db,
    candidate as NonNullable<typeof candidate>,
    { from: args.from, to: args.to },
    config.decision,
    { maxDays: null, maxTransactions: null },
    config.rescoring.latenessMs,
  );
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderBacktestReport(report));
} catch (error) {
  await handle.close();
  if (error instanceof BacktestRefused) fail(2, error.problems);
  fail(1, [error instanceof Error ? error.message : String(error)]);
}
await handle.close();
