import { parseArgs } from 'node:util';

export interface BacktestArguments {
  rulesPath: string;
  from: Date;
  to: Date;
  json: boolean;
}

export const BACKTEST_USAGE =
  'usage: pnpm backtest --rules FILE --from T1 --to T2 [--json]\n' +
  '  FILE    a rules file (the MONITOR_RULES_FILE format, YAML or JSON)\n' +
  '  T1, T2  ISO 8601 instants with a zone (2026-11-01T00:00:00Z): the period, by event time, inclusive\n' +
  '  --json  the report as JSON (the monitor API `backtestReport` shape) instead of tables\n';

/** An ISO 8601 instant with its zone: a date alone or a local time would depend on the machine's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(name: string, value: string | undefined, problems: string[]): Date {
  if (value === undefined) {
    problems.push(`--${name} is required`);
    return new Date(Number.NaN);
  }
  const at = new Date(value);
  if (!INSTANT.test(value) || Number.isNaN(at.getTime())) {
    problems.push(`--${name} must be an ISO 8601 instant with a zone (e.g. 2026-11-01T00:00:00Z), got "${value}"`);
  }
  return at;
}

/** Reads the command line; `problems` names each thing wrong with it (empty when it is usable). */
export function parseBacktestArguments(
  argv: readonly string[],
): { ok: true; args: BacktestArguments } | { ok: false; problems: string[] } {
  let values: { rules?: string; from?: string; to?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        rules: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  const problems: string[] = [];
  if (!values.rules) problems.push('--rules FILE is required');
  const from = instant('from', values.from, problems);
  const to = instant('to', values.to, problems);
  if (problems.length === 0 && !(from.getTime() < to.getTime())) problems.push('--from must be before --to');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, args: { rulesPath: values.rules as string, from, to, json: values.json === true } };
}
