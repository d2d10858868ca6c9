import { casesCustomerApi } from '@wallet-guard/contracts';
import { createServiceClient, type ServiceClient } from '@wallet-guard/http';

/** Support-cases' customer routes as the portal calls them (scope `wallet`, the portal's own key). */
export type CasesClient = ServiceClient<typeof casesCustomerApi>;

export const createCasesClient = (connection: { url: string; apiKey: string }): CasesClient =>
  createServiceClient({
    service: 'support-cases',
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    endpoints: casesCustomerApi,
  });
