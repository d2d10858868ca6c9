import { errorBody, requires } from '@wallet-guard/http';
import { MONITOR_APPLICATION } from './application';

/** Error answers every authenticated route may give (schema errors, no key, wrong scope). */
export const commonErrors = { 400: errorBody, 401: errorBody, 403: errorBody } as const;

/** Who may call a route (documented in OpenAPI, enforced by the service kit). */
export const security = {
  /**
   * The wallet backend (submitting and pre-scoring its transactions) and its account portal (a
   * customer's own transactions, for the account the caller vouches for).
   */
  wallet: requires({ apiKey: 'wallet' }),
  /** Our own services (support-cases): flags and profiles name accounts and amounts. */
  internal: requires({ apiKey: 'internal' }),
};

/**
 * Route plugins run after the service kit (errors, docs), the API-key plugin and the monitor's
 * application (database, bus, rules, clock): a route registered without them fails at boot.
 */
export const ROUTE_DEPENDENCIES = ['service-kit', 'api-keys', MONITOR_APPLICATION];
