import type { Migration } from 'kysely';
import * as monitor from './20261124110000_monitor';

/** The transaction monitor's tables: applied transactions, account profiles, security timeline, flags. */
export const monitorMigrations: Record<string, Migration> = {
  '20261124110000_monitor': monitor,
};
