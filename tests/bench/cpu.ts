// Where a benchmark's CPU time goes: this Node process against the Postgres server and the Kafka
// broker on the same machine. Linux only (it reads /proc); elsewhere the figures are absent.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far, per side. `postgres` and `kafka` are null where /proc cannot be read. */
export interface CpuSample {
  /** This process: the service under test and the benchmark's own loop. */
  node: number;
  /** Every `postgres` process (server and backends) of the machine. */
  postgres: number | null;
  /** Every Java process (the broker from infra/kafka). */
  kafka: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime: 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

/** Sums utime + stime (seconds) of the processes whose command name passes `matches`. Never throws. */
function processCpuSeconds(matches: (comm: string) => boolean): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (!matches(stat.slice(open + 1, close))) continue;
      const fields = stat.slice(close + 2).split(' ');
      // Fields 14 and 15 of proc(5) (utime, stime) are at 11 and 12 once pid and comm are cut off.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks / CLOCK_TICKS;
}

export function cpuNow(): CpuSample {
  const own = process.cpuUsage();
  return {
    node: (own.user + own.system) / 1e6,
    postgres: processCpuSeconds((comm) => comm.startsWith('postgres')),
    kafka: processCpuSeconds((comm) => comm === 'java'),
  };
}

/**
 * One line per side: CPU seconds between `from` and `to`, the cores that is over `wallSeconds`,
 * and its share of the three together.
 */
export function describeCpu(from: CpuSample, to: CpuSample, wallSeconds: number): string[] {
  const sides: [string, number | null][] = [
    ['node (monitor + bench)', to.node - from.node],
    ['postgres', to.postgres === null || from.postgres === null ? null : to.postgres - from.postgres],
    ['kafka broker', to.kafka === null || from.kafka === null ? null : to.kafka - from.kafka],
  ];
  const total = sides.reduce((sum, [, seconds]) => sum + (seconds ?? 0), 0);
  return sides.map(([name, seconds]) =>
    seconds === null
      ? `${name.padEnd(24)} n/a (no /proc)`
      : `${name.padEnd(24)} ${seconds.toFixed(1)} s CPU, ${(seconds / wallSeconds).toFixed(2)} cores, ${((100 * seconds) / total).toFixed(0)}%`,
  );
}
