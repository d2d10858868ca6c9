import { randomBytes } from 'node:crypto';
import { type DatabaseHandle, migrateToLatest, migrationsFingerprint, openDatabase } from '@wallet-guard/db';
import pg from 'pg';

/** Where tests find Postgres (a server they may create and drop databases on). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The template this test run clones. The global setup picks it once and hands it to the test
 * workers through the environment, so editing a migration during a run cannot switch templates
 * under it; parallel runs with different migrations each keep their own.
 */
const TEMPLATE_ENV = 'WG_TEST_TEMPLATE_DATABASE';
function templateName(): string {
  const chosen = process.env[TEMPLATE_ENV];
  if (!chosen) throw new Error(`${TEMPLATE_ENV} is not set: run tests through vitest (tests/vitest.config.ts)`);
  return chosen;
}

function urlFor(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Once per test run (vitest globalSetup): makes sure a template database with every migration
 * applied exists, keyed on the migrations' content, and drops what crashed or older runs left
 * behind (test databases and other templates older than two hours). Safe when several runs
 * start at once. Returns the template's name (also put in the environment for the workers).
 */
export async function prepareTemplateDatabase(): Promise<string> {
  const prefix = `wg_template_${migrationsFingerprint()}_`;
  return withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock(727274)');
    try {
      const { rows } = await admin.query<{ datname: string }>(
        "select datname from pg_database where datname like 'wg\\_t\\_%' or datname like 'wg\\_template\\_%'",
      );
      const cutoff = Math.floor(Date.now() / 1000) - 7200;
      let template = rows.map((r) => r.datname).find((name) => name.startsWith(prefix));
      for (const { datname } of rows) {
        const stamp = /^wg_(?:t|template_[0-9a-f]+)_(\d+)/.exec(datname)?.[1];
        if (datname !== template && stamp !== undefined && Number(stamp) < cutoff) {
          await admin.query(`drop database if exists "${datname}" with (force)`);
        }
      }
      if (template) {
        process.env[TEMPLATE_ENV] = template;
        return template;
      }
      template = `${prefix}${Math.floor(Date.now() / 1000)}`;
      await admin.query(`create database "${template}"`);
      const handle = await openDatabase({ url: urlFor(template), poolMax: 1 });
      try {
        await migrateToLatest(handle.db);
      } catch (error) {
        await handle.close();
        await admin.query(`drop database if exists "${template}" with (force)`);
        throw error;
      }
      await handle.close();
      process.env[TEMPLATE_ENV] = template;
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock(727274)');
    }
  });
}

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, fully migrated database of its own, cloned from the template in milliseconds. */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const name = `wg_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${templateName()}"`);
        return;
      } catch (error) {
        // Another session briefly holds the template (e.g. a parallel clone); try again.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  });
  const url = urlFor(name);
  const handle = await openDatabase({ url, poolMax: options.poolMax ?? 5 });
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close().catch(() => undefined); // a test may have closed it already
      await withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** An empty embedded database in memory (the quick-start mode), migrations not applied. */
export function createEmbeddedDatabase(): Promise<DatabaseHandle> {
  return openDatabase({ dataDir: ':memory:' });
}
