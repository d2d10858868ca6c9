import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations';

const provider = { getMigrations: async () => migrations };

// Unordered: migrations written on parallel branches may land with earlier timestamps than ones
// already applied; each still runs exactly once.
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
const createMigrator = (db: Kysely<any>) => new Migrator({ db, provider, allowUnorderedMigrations: true });

/** Thrown when a migration fails; names the migration so the operator knows where to look. */
class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    super(
      `migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationError';
  }
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, result.error);
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'up' : 'down'} ${r.migrationName}`);
}

/**
 * Applies every pending migration. Safe to run from several processes at once: kysely's
 * migrator takes a lock, so each migration runs exactly once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return check(await createMigrator(db).migrateToLatest());
}

/** Reverts the most recent migration (one step). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  return check(await createMigrator(db).migrateDown());
}

/** Reverts every migration. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrateAllDown(db: Kysely<any>): Promise<string[]> {
  const { NO_MIGRATIONS } = await import('kysely');
  return check(await createMigrator(db).migrateTo(NO_MIGRATIONS));
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
export async function migrationStatus(db: Kysely<any>) {
  const all = await createMigrator(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
