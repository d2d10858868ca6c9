/** What auth answered to a freeze, as the worker acts on it. */
export type FreezeAnswer =
  | { outcome: 'frozen' }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'retry'; reason: string };

export interface AuthFreezeClient {
  freeze(accountId: string, reason: string): Promise<FreezeAnswer>;
}

/**
 * Auth's internal freeze (`POST /internal/v1/accounts/:id/freeze`, scope internal). Never throws:
 * 2xx and 409 (already frozen) are done; 404 and other 4xx will not get better by asking again
 * (except 401/403/429, a key or rate problem an operator can fix); 5xx, timeouts and network
 * errors are retried.
 */
export function authFreezeClient(options: { baseUrl: string; apiKey: string; timeoutMs?: number }): AuthFreezeClient {
  return {
    async freeze(accountId, reason) {
      try {
        const response = await fetch(
          `${options.baseUrl}/internal/v1/accounts/${encodeURIComponent(accountId)}/freeze`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
            body: JSON.stringify({ actor: 'transaction-monitor', by: 'system', reason }),
            signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
          },
        );
        const status = response.status;
        await response.body?.cancel();
        if ((status >= 200 && status < 300) || status === 409) return { outcome: 'frozen' };
        if ([401, 403, 429].includes(status) || status >= 500)
          return { outcome: 'retry', reason: `auth answered ${status}` };
        return { outcome: 'refused', reason: `auth answered ${status}` };
      } catch (error) {
        return { outcome: 'retry', reason: (error as Error).message };
      }
    },
  };
}
