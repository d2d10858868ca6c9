import type { CommonConfig } from './common';
import type { ApiKeySet } from './fields';

/** The services and the short names `SERVICES` uses. */
export const SERVICE_NAMES = ['auth', 'monitor', 'cases', 'notifier', 'portal'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceConfig extends CommonConfig {
  /** Name used in logs, metrics, the outbox `producer` column and Kafka client ids. */
  service: 'auth' | 'transaction-monitor' | 'support-cases' | 'notifier';
  port: number;
  /** Callers (wallet backend, our own services) identified by X-Api-Key. */
  apiKeys: ApiKeySet;
}
