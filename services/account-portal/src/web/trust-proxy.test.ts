import { describe, expect, it } from 'vitest';
import { PAGE_PATHS } from '../route-conventions';
import { csrfOf, startTestPortal } from '../testing/harness';

/** Two customers behind one proxy (inject's socket address, 127.0.0.1), one post each and one more. */
async function statusesBehindProxy(env: Record<string, string>): Promise<number[]> {
  const portal = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '1', ...env } });
  try {
    const post = async (clientIp: string) => {
      const visitor = portal.visitor({ 'x-forwarded-for': clientIp });
      const csrf = csrfOf((await visitor.get(PAGE_PATHS.forgotPassword)).body);
      return (await visitor.post(PAGE_PATHS.forgotPassword, { _csrf: csrf, email: 'a@example.com' })).statusCode;
    };
    // Auth is unreachable here: a post the limit lets through answers 503.
    return [await post('203.0.113.1'), await post('203.0.113.2'), await post('203.0.113.1')];
  } finally {
    await portal.close();
  }
}

describe('the per-IP limit behind a proxy (PORTAL_TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted: everyone shares the socket address', async () => {
    expect(await statusesBehindProxy({})).toEqual([503, 429, 429]);
  });

  it('counts each customer on their own once the proxy is trusted, by hop count or address', async () => {
    expect(await statusesBehindProxy({ PORTAL_TRUST_PROXY: '1' })).toEqual([503, 503, 429]);
    expect(await statusesBehindProxy({ PORTAL_TRUST_PROXY: '127.0.0.1' })).toEqual([503, 503, 429]);
    // A sender that is not the trusted proxy cannot choose its IP.
    expect(await statusesBehindProxy({ PORTAL_TRUST_PROXY: '10.0.0.0/8' })).toEqual([503, 429, 429]);
  });
});
