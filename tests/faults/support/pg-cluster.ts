// A throwaway PostgreSQL cluster the fault tests may stop, crash and restart: initdb into a folder
// of its own, its own port (55432) and socket directory, trust authentication on localhost. The
// shared server on 5432 is never touched.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '@wallet-guard/db';
import { sql } from 'kysely';

const run = promisify(execFile);

export const FAULT_PG_PORT = Number(process.env.FAULT_PG_PORT ?? 55432);
/** A fixed folder, so the CI step's cleanup finds a cluster a crashed run left running. */
export const FAULT_PG_DIR = process.env.FAULT_PG_DIR ?? join(tmpdir(), `wallet-guard-faults-pg-${FAULT_PG_PORT}`);

/** Debian keeps each version's server programs in /usr/lib/postgresql/<version>/bin; take the newest. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return ''; // rely on PATH
}

/** initdb and the server refuse to run as root: run them as the postgres user then. */
const asServerUser = (program: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];

export class PgCluster {
  readonly port = FAULT_PG_PORT;
  readonly dir = FAULT_PG_DIR;
  private readonly bin = binDir();
  private readonly data = join(FAULT_PG_DIR, 'data');
  private readonly sockets = join(FAULT_PG_DIR, 'sockets');

  private async exec(program: string, args: string[], timeout = 120_000) {
    const [command, argv] = asServerUser(this.bin ? join(this.bin, program) : program, args);
    return run(command, argv, { timeout });
  }

  /** Creates the cluster (replacing what an earlier run left) and starts it. */
  async create(): Promise<void> {
    await this.destroy();
    mkdirSync(this.sockets, { recursive: true });
    if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', this.dir]);
    await this.exec('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.sockets} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    await this.exec('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'server.log'), '-w', 'start']);
  }

  /** `fast`: a clean shutdown (sessions are told and closed); `immediate`: a crash (recovery from WAL at start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    const admin = await openDatabase({ url: this.url(), poolMax: 1 });
    try {
      await sql`create database ${sql.id(name)}`.execute(admin.db);
    } finally {
      await admin.close();
    }
    return this.url(name);
  }

  /** Stops the server if it runs and deletes the cluster. Never throws. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid'))) {
      await this.exec('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop'], 30_000).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
