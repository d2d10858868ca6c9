import { errorBody, requires } from '@wallet-guard/http';
import { NOTIFIER_APPLICATION } from './application';

/** Error answers every authenticated route may give (schema errors, no key, wrong scope). */
export const commonErrors = { 400: errorBody, 401: errorBody, 403: errorBody } as const;

/** Who may call a route (documented in OpenAPI, enforced by the service kit). */
export const security = {
  /** Our own services (support-cases): deliveries name accounts and (masked) addresses. */
  internal: requires({ apiKey: 'internal' }),
};

/** Route plugins run after the service kit, the API-key plugin and the notifier's application. */
export const ROUTE_DEPENDENCIES = ['service-kit', 'api-keys', NOTIFIER_APPLICATION];
