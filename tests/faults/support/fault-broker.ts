// A Kafka broker of the fault tests' own, which they may stop, kill and start again: the same
// single-node KRaft broker as infra/kafka/start.sh runs on 9092, on another port pair and work
// folder. The shared broker on 9092 is never touched.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export const FAULT_KAFKA_PORT = Number(process.env.FAULT_KAFKA_PORT ?? 19092);
export const FAULT_KAFKA_CONTROLLER_PORT = Number(process.env.FAULT_KAFKA_CONTROLLER_PORT ?? 19093);
export const FAULT_KAFKA_WORK_DIR =
  process.env.FAULT_KAFKA_WORK_DIR ?? fileURLToPath(new URL('../../../infra/kafka/.work-faults', import.meta.url));

export class FaultBroker {
  readonly brokers = [`127.0.0.1:${FAULT_KAFKA_PORT}`];

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KAFKA_PORT: String(FAULT_KAFKA_PORT),
      KAFKA_CONTROLLER_PORT: String(FAULT_KAFKA_CONTROLLER_PORT),
      KAFKA_WORK_DIR: FAULT_KAFKA_WORK_DIR,
    };
  }

  /** Starts the broker (or finds it running) and returns once a client can create a topic. */
  async start(): Promise<void> {
    await run('bash', ['infra/kafka/start.sh'], { cwd: repoRoot, env: this.env(), timeout: 180_000 });
  }

  /** A clean stop (SIGTERM, the broker's controlled shutdown); `wipe` also deletes its data. */
  async stop({ wipe = false } = {}): Promise<void> {
    await run('bash', ['infra/kafka/stop.sh', ...(wipe ? ['--wipe'] : [])], {
      cwd: repoRoot,
      env: this.env(),
      timeout: 60_000,
    });
  }

  /** The broker's process id, or undefined when it is not running. */
  pid(): number | undefined {
    try {
      const pid = Number(readFileSync(`${FAULT_KAFKA_WORK_DIR}/kafka.pid`, 'utf8').trim());
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }
}
