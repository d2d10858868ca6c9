import { monitorAccountApi } from '@wallet-guard/contracts';
import { createServiceClient, type ServiceClient } from '@wallet-guard/http';

/** The monitor's account routes as the portal calls them (scope `wallet`, the portal's own key). */
export type MonitorClient = ServiceClient<typeof monitorAccountApi>;

export const createMonitorClient = (connection: { url: string; apiKey: string }): MonitorClient =>
  createServiceClient({
    service: 'transaction-monitor',
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    endpoints: monitorAccountApi,
  });
