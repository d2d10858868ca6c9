import type { Migration } from 'kysely';
import * as deliveries from './20261130090000_notifier_deliveries';

/** Notifier: one row per message and channel, with its attempts and outcome. */
export const notifierMigrations: Record<string, Migration> = {
  '20261130090000_notifier_deliveries': deliveries,
};
