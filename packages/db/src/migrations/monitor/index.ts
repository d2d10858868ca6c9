import type { Migration } from 'kysely';
import * as monitor from './20261124110000_monitor';
import * as transactionDetails from './20261129090000_transaction_details';
import * as monitorMuleDestinations from './20261130130000_monitor_mule_destinations';
import * as monitorLists from './20261130140000_monitor_lists';
import * as monitorBacktests from './20261130150000_monitor_backtests';

/** The transaction monitor's tables: applied transactions (with their details), account profiles, security timeline, flags. */
export const monitorMigrations: Record<string, Migration> = {
  '20261124110000_monitor': monitor,
  '20261129090000_transaction_details': transactionDetails,
  '20261130130000_monitor_mule_destinations': monitorMuleDestinations,
  '20261130140000_monitor_lists': monitorLists,
  '20261130150000_monitor_backtests': monitorBacktests,
};
