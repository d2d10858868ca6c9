// A service as a real process, exactly as deployed: the compiled entry point under plain node
// (`node services/<name>/dist/server.js`, built by `pnpm build`; global-setup.ts builds it before
// the run), so a test can SIGKILL or SIGTERM it and the production artefact is what is tested.
// node runs the service itself (no wrapper between the signal and the service). Its output is
// captured: kept in memory for assertions, written to tests/artifacts/faults/<label>.log for
// whoever debugs a failure, and added to the run's log capture when it ends, which the teardown
// scans for secrets.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { captureOutput, freePort, waitFor } from '@wallet-guard/testing';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const artifacts = fileURLToPath(new URL('../../artifacts/faults', import.meta.url));

export type ServiceName = 'auth' | 'transaction-monitor' | 'support-cases' | 'notifier';

const PORT_VARIABLE: Record<ServiceName, string> = {
  auth: 'AUTH_PORT',
  'transaction-monitor': 'MONITOR_PORT',
  'support-cases': 'CASES_PORT',
  notifier: 'NOTIFIER_PORT',
};

/** The compiled entry point, relative to the repository root. */
const compiledEntry = (name: ServiceName): string => `services/${name}/dist/server.js`;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process ended. */
  at: number;
}

const pick = (env: NodeJS.ProcessEnv, names: string[]): Record<string, string> =>
  Object.fromEntries(names.flatMap((n) => (env[n] === undefined ? [] : [[n, env[n] as string]])));

export class ServiceProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;

  private constructor(
    readonly name: ServiceName,
    readonly label: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    mkdirSync(artifacts, { recursive: true });
    const file = createWriteStream(`${artifacts}/${label}.log`, { flags: 'a' });
    let pending = '';
    const collect = (chunk: Buffer) => {
      file.write(chunk);
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') this.lines.push(line);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: performance.now() };
        file.end();
        captureOutput([...this.lines, pending]);
        resolve(this.exit);
      });
    });
  }

  /**
   * Starts `name` with `env` (DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, ...) on a free port
   * and returns once it answers /healthz. `label` names its log file (several runs of one service).
   */
  static async start(
    name: ServiceName,
    env: Record<string, string>,
    { label = name, port }: { label?: string; port?: number } = {},
  ): Promise<ServiceProcess> {
    const entry = compiledEntry(name);
    if (!existsSync(`${repoRoot}/${entry}`)) throw new Error(`${entry} is missing: run \`pnpm build\` first`);
    const chosen = port ?? (await freePort());
    const child = spawn(process.execPath, [entry], {
      cwd: repoRoot,
      env: {
        // Only what node needs from the outside: the service reads nothing the test did not choose.
        ...pick(process.env, ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']),
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        [PORT_VARIABLE[name]]: String(chosen),
        OUTBOX_POLL_INTERVAL_MS: '25',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(name, label, chosen, child);
    // For cleanup.sh, should this run be cut short before the tests stop what they started.
    if (child.pid) appendFileSync(`${artifacts}/pids`, `${child.pid}\n`);
    try {
      await waitFor(
        async () => {
          if (service.exit) throw new Error(`${label} exited during start:\n${service.lines.slice(-20).join('\n')}`);
          const res = await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
          return res.ok;
        },
        { what: `${label} to answer /healthz`, timeoutMs: 90_000, intervalMs: 200 },
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\nlast output:\n${service.lines.slice(-20).join('\n')}`);
    }
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Sends a signal to the service process itself (no wrapper in between). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** kill -9 and wait until the process is gone. */
  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** The captured pino lines, parsed (other output is skipped). */
  entries(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** A Prometheus counter's value summed over the label sets matching `labels`. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? ([^ ]+)/.exec(line);
      if (!match || match[1] !== name) continue;
      const set = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      if (Object.entries(labels).every(([k, v]) => set[k] === v)) sum += Number(match[3]);
    }
    return sum;
  }
}

/** Stops every process that is still running (afterAll): SIGKILL, nothing is kept anyway. */
export async function killAll(services: readonly ServiceProcess[]): Promise<void> {
  await Promise.all(services.filter((s) => s.running).map((s) => s.kill()));
}

/** The variables that put a service on a test file's slice of the broker. */
export const kafkaEnv = (kafka: { brokers: string[]; prefix: string }): Record<string, string> => ({
  KAFKA_BROKERS: kafka.brokers.join(','),
  KAFKA_TOPIC_PREFIX: kafka.prefix,
});
