import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './database';

export interface OpenDatabaseOptions {
  /** postgres:// URL. Without it the embedded Postgres (PGlite) is used. */
  url?: string | undefined;
  /** Embedded only: the folder for its files, or ":memory:" to keep nothing. Default ".data/pglite". */
  dataDir?: string | undefined;
  /** pg only: the most connections this process opens. */
  poolMax?: number | undefined;
  /** pg only: shown in pg_stat_activity. */
  applicationName?: string | undefined;
  /** pg only: an idle connection broke (server restarted). The pool replaces it; this just reports it. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'embedded';
  /** Where the data lives, without credentials: for the start-up log. */
  location: string;
  /** Resolves when a trivial query succeeds within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one way to get a database. With a URL: a pg pool. Without: an embedded Postgres (PGlite)
 * on disk under `dataDir`, or in memory. Both run the same migrations and the same SQL; both
 * return int8 and numeric columns as strings.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openEmbedded(options.dataDir ?? '.data/pglite');
}

// A Date parameter goes to Postgres as UTC text. pg's default writes it in the process's local
// zone, with the offset cut to whole minutes: in a zone with a seconds offset (Africa/Monrovia
// until 1972, any zone's LMT) the instant stored is off by those seconds.
pg.defaults.parseInputDatesAsUTC = true;

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName,
  });
  // A connection the server ends (Postgres restarting, an admin terminating it) emits 'error';
  // without a listener that is an uncaught exception and the process goes down. The pool listens
  // only while a client is idle, so each client gets a listener of its own for the time it is
  // checked out (e.g. inside a transaction, between statements): its owner then sees the next
  // statement fail, and the pool drops the broken client when it comes back.
  const reported = new WeakSet<Error>();
  const report = (error: Error) => {
    if (reported.has(error)) return; // an idle client's error reaches both listeners
    reported.add(error);
    options.onConnectionError?.(error);
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    kind: 'postgres',
    location: `postgres://${parsed.host}${parsed.pathname}`,
    ping: (timeoutMs = 2_000) =>
      withTimeout(
        sql`select 1`.execute(db).then(() => undefined),
        timeoutMs,
      ),
    close: () => db.destroy(),
  };
}

async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir === ':memory:';
  const location = inMemory ? 'memory://' : resolve(dataDir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  const options = {
    // Match pg: 64-bit integers and numerics as strings, never a lossy JS number.
    parsers: { [types.INT8]: (v: string) => v, [types.NUMERIC]: (v: string) => v },
    // Postgres's default 128 MB of shared buffers stays resident in PGlite's WebAssembly memory
    // for good; the embedded database serves one small process, for which 16 MB holds the working
    // set (README, "Production packaging": a restart holds 242 MB instead of 410).
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  };
  // A new folder is made by initdb, in this process; its memory (about 400 MB) is released only
  // with the instance that ran it, so that one is closed and the folder opened again.
  if (!inMemory && !existsSync(join(location, 'PG_VERSION'))) await (await PGlite.create(location, options)).close();
  const client = await PGlite.create(inMemory ? 'memory://' : location, options);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'embedded',
    location,
    ping: (timeoutMs = 2_000) =>
      withTimeout(
        sql`select 1`.execute(db).then(() => undefined),
        timeoutMs,
      ),
    close: () => db.destroy(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
