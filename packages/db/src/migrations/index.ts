import type { Migration } from 'kysely';
import { authMigrations } from './auth';
import { casesMigrations } from './cases';
import { messagingMigrations } from './messaging';
import { monitorMigrations } from './monitor';
import { notifierMigrations } from './notifier';

/**
 * Every migration. Each table group keeps its own folder and list; names start with a UTC
 * timestamp and kysely applies them in name order across groups. A static list (not a folder
 * scan) works the same under tsx, vitest and a bundler.
 */
export const migrations: Record<string, Migration> = {
  ...messagingMigrations,
  ...authMigrations,
  ...monitorMigrations,
  ...casesMigrations,
  ...notifierMigrations,
};
