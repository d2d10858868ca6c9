import { authInternalApi, monitorFlagsApi, monitorListsApi, notifierApi } from '@wallet-guard/contracts';
import { createServiceClient, type ServiceClient, type ServiceUnavailable } from '@wallet-guard/http';
import { caseErrors } from './errors';

/** auth's internal API: the account, its security events, unlock, freeze and unfreeze. */
export type AuthClient = ServiceClient<typeof authInternalApi>;
/** The monitor's flags (list, read, the agents' labels) and its managed lists. */
const monitorEndpoints = { ...monitorFlagsApi, ...monitorListsApi };
export type MonitorClient = ServiceClient<typeof monitorEndpoints>;
/** The notifier's internal API: an account's deliveries, for the case page. */
export type NotifierClient = ServiceClient<typeof notifierApi>;

interface Target {
  url: string;
  apiKey: string;
}

export const createAuthClient = (target: Target): AuthClient =>
  createServiceClient({ service: 'auth', baseUrl: target.url, apiKey: target.apiKey, endpoints: authInternalApi });

export const createMonitorClient = (target: Target): MonitorClient =>
  createServiceClient({
    service: 'transaction-monitor',
    baseUrl: target.url,
    apiKey: target.apiKey,
    endpoints: monitorEndpoints,
  });

/**
 * Shorter than the other clients' 5 s: the notifier only feeds one panel of the case page, which
 * waits for the slowest of its live parts, so a hanging notifier must not hold the agent for long.
 */
const NOTIFIER_TIMEOUT_MS = 2_000;

export const createNotifierClient = (target: Target): NotifierClient =>
  createServiceClient({
    service: 'notifier',
    baseUrl: target.url,
    apiKey: target.apiKey,
    timeoutMs: NOTIFIER_TIMEOUT_MS,
    endpoints: notifierApi,
  });

/**
 * 503 CASE_UPSTREAM_UNAVAILABLE for a service that gave no usable answer (down, slow, failing,
 * redirecting or answering in a shape we do not know): whether it acted is unknown.
 */
export const upstreamUnavailable = (answer: ServiceUnavailable) =>
  caseErrors.upstreamUnavailable(answer.message, {
    service: answer.service,
    reason: answer.reason,
    ...(answer.status === undefined ? {} : { status: answer.status }),
  });
