import type { Migration } from 'kysely';
import * as messaging from './20261123090000_messaging';

/** Outbox, inbox, dead letters and relay leases: the tables every service's messaging uses. */
export const messagingMigrations: Record<string, Migration> = {
  '20261123090000_messaging': messaging,
};
