import { authConfirmationsApi } from '@wallet-guard/contracts';
import { createServiceClient, type ServiceClient } from '@wallet-guard/http';
import type { AuthConnection } from '../auth/auth-client';

/**
 * Auth's payment-confirmation routes as the portal calls them: the signed-in customer's access
 * token as `bearer` (their own confirmations only), the portal's own key like every auth call.
 */
export type ConfirmationsClient = ServiceClient<typeof authConfirmationsApi>;

export const createConfirmationsClient = (connection: AuthConnection): ConfirmationsClient =>
  createServiceClient({
    service: 'auth',
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    timeoutMs: connection.timeoutMs,
    endpoints: authConfirmationsApi,
  });
