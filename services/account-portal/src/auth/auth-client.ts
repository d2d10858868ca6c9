import { authPublicApi } from '@wallet-guard/contracts';
import { createServiceClient, type ServiceClient } from '@wallet-guard/http';

/** Auth's public API as the portal calls it (scope `wallet`, the portal's own key). */
export type AuthClient = ServiceClient<typeof authPublicApi>;

export interface AuthConnection {
  url: string;
  apiKey: string;
  /** Whole call, answer included. */
  timeoutMs?: number;
}

export const createAuthClient = (connection: AuthConnection): AuthClient =>
  createServiceClient({
    service: 'auth',
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    timeoutMs: connection.timeoutMs,
    endpoints: authPublicApi,
  });
