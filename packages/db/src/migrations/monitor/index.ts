import type { Migration } from 'kysely';
import * as monitor from './20261124110000_monitor';
import * as transactionDetails from './20261129090000_transaction_details';

/** The transaction monitor's tables: applied transactions (with their details), account profiles, security timeline, flags. */
export const monitorMigrations: Record<string, Migration> = {
  '20261124110000_monitor': monitor,
  '20261129090000_transaction_details': transactionDetails,
};
