import { errorBody, requires } from '@wallet-guard/http';
import { CASES_APPLICATION } from './application';

/** Error answers every route may give (schema errors, no key or token, wrong scope or role). */
export const commonErrors = { 400: errorBody, 401: errorBody, 403: errorBody } as const;

/** Who may call a route (documented in OpenAPI, enforced by the service kit). */
export const security = {
  /** Agents and supervisors (a bearer token of the identity provider, see `agents/agent-auth.ts`). */
  agent: requires({ bearer: 'agent' }),
  supervisor: requires({ bearer: 'supervisor' }),
  /** The wallet backend, for its users. */
  wallet: requires({ apiKey: 'wallet' }),
};

/**
 * Route plugins run after the service kit (errors, docs), the API keys, the agent tokens and the
 * application (database, bus, case context, clients): a route registered without them fails at boot.
 */
export const ROUTE_DEPENDENCIES = ['service-kit', 'api-keys', 'agent-auth', CASES_APPLICATION];
