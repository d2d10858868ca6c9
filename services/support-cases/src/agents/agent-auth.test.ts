import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DEV_AGENT_PUBLIC_JWK } from '@wallet-guard/config';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, startCases } from '../testing/harness';
import { signDevAgentToken } from './dev-agent-token';

let h: CasesHarness;
let agentRoutes: { method: string; url: string; supervisorOnly: boolean }[];

beforeAll(async () => {
  h = await startCases();
  // Every route the OpenAPI document marks as needing an agent token: the table drives the test.
  const spec = (await h.server.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  };
  agentRoutes = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.security?.some((s) => 'bearer' in s))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        url: path.replace('{id}', randomUUID()),
        // The role is machine-readable in the requirement: `[{ bearer: ['supervisor'] }]`.
        supervisorOnly: op.security?.some((s) => s.bearer?.includes('supervisor')) ?? false,
      })),
  );
});
afterAll(() => h.close());

describe('agent routes check who is calling', () => {
  it('covers every agent route (a new route cannot slip out of this table)', () => {
    expect(agentRoutes.length).toBeGreaterThanOrEqual(14);
    expect(agentRoutes.filter((r) => r.supervisorOnly).map((r) => r.url)).toEqual([
      expect.stringMatching(/unfreeze-account$/),
      // POST, PUT, DELETE: managing macros (listing and rendering them is for every agent).
      '/v1/macros',
      '/v1/macros/{macroId}',
      '/v1/macros/{macroId}',
      '/v1/reports/satisfaction',
      '/v1/reports/desk',
      '/v1/reports/desk.csv',
      // Rule performance and backtests over the monitor's rules.
      '/v1/rule-performance',
      '/v1/rule-performance/backtests',
      // Changing the managed lists (reading them is for every agent), and a confirmed fraud's
      // destination added to the block list from its case.
      '/v1/lists/entries',
      expect.stringMatching(/^\/v1\/lists\/entries\/[0-9a-f-]{36}$/),
      expect.stringMatching(/^\/v1\/lists\/entries\/[0-9a-f-]{36}\/remove$/),
      expect.stringMatching(/^\/v1\/cases\/[0-9a-f-]{36}\/flags\/\{flagId\}\/block-destination$/),
      // PUT: changing the SLA calendars (reading them is for every agent).
      '/v1/sla/calendars',
    ]);
  });

  it('answers 401 CASE_UNAUTHENTICATED without a token, with a malformed one, and with one signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const foreign = await new SignJWT({ role: 'supervisor' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'dev-agent-key' })
      .setSubject('mallory')
      .setIssuer(h.config.agentTokens.issuer)
      .setAudience(h.config.agentTokens.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const route of agentRoutes) {
      for (const headers of [
        {},
        { authorization: 'Bearer not.a.jwt' },
        { authorization: `Bearer ${foreign}` },
        { authorization: 'Basic abc' },
      ]) {
        const res = await h.server.inject({ method: route.method as 'GET', url: route.url, headers, payload: {} });
        expect([route.url, headers, res.statusCode, res.json().error?.code]).toEqual([
          route.url,
          headers,
          401,
          'CASE_UNAUTHENTICATED',
        ]);
      }
    }
  });

  it('takes the Bearer scheme in any letter case (RFC 7235 2.1), and nothing but one token after it', async () => {
    const token = await h.token('ada', 'agent');
    const status = async (authorization: string) =>
      (await h.server.inject({ method: 'GET', url: '/v1/agents/me', headers: { authorization } })).statusCode;
    for (const scheme of ['Bearer', 'bearer', 'BEARER'])
      expect([scheme, await status(`${scheme} ${token}`)]).toEqual([scheme, 200]);
    for (const odd of [`Bearer ${token} ${token}`, `Bearer${token}`, `Basic ${token}`]) {
      expect([odd.slice(0, 12), await status(odd)]).toEqual([odd.slice(0, 12), 401]);
    }
  });

  it('answers 401 for an expired token and one for another audience', async () => {
    const key = await importJWK(
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: 'LmsZ_W6VKwWiYoye2EnC_tokg4HoyrCACyUpixxRaAY',
        d: '_M32Of1vVKjQCDWyTI_5Y_GbSJbu49hXn5DAYdMDI40',
      },
      'EdDSA',
    );
    const base = () =>
      new SignJWT({ role: 'agent' })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject('alice')
        .setIssuer(h.config.agentTokens.issuer);
    const expired = await base()
      .setAudience(h.config.agentTokens.audience)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const otherAudience = await base().setAudience('some-other-service').setExpirationTime('1h').sign(key);
    for (const token of [expired, otherAudience]) {
      const res = await h.server.inject({
        method: 'GET',
        url: '/v1/cases',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses a token without exp, and one living longer than CASES_AGENT_TOKEN_MAX_AGE_SECONDS (12 h)', async () => {
    expect(h.config.agentTokens.maxAgeSeconds).toBe(12 * 3600);
    const key = await importJWK({ ...DEV_AGENT_PUBLIC_JWK, d: '_M32Of1vVKjQCDWyTI_5Y_GbSJbu49hXn5DAYdMDI40' }, 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: { iat?: number; exp?: number; nbf?: number }) => {
      const jwt = new SignJWT({ role: 'supervisor' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'dev-agent-key' })
        .setSubject('mallory')
        .setIssuer(h.config.agentTokens.issuer)
        .setAudience(h.config.agentTokens.audience);
      if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
      if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
      return jwt.sign(key);
    };
    const status = async (token: string) =>
      (await h.server.inject({ method: 'GET', url: '/v1/agents/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode;
    const refused = {
      'no exp, no iat': await sign({}),
      'iat, no exp': await sign({ iat: now }),
      'exp in a year, no iat': await sign({ exp: now + 365 * 86_400 }),
      'exp 13 h after iat': await sign({ iat: now, exp: now + 13 * 3600 }),
      'iat in the future hiding a long exp': await sign({ iat: now + 30 * 86_400, exp: now + 30 * 86_400 + 3600 }),
      'issued 12 h ago with 1 h left (13 h in all)': await sign({ iat: now - 12 * 3600, exp: now + 3600 }),
      'issued an hour from now (short lifetime)': await sign({ iat: now + 3600, exp: now + 2 * 3600 }),
      'valid only from an hour from now': await sign({ iat: now, nbf: now + 3600, exp: now + 2 * 3600 }),
      'expired a minute ago (beyond the 30 s tolerance)': await sign({ iat: now - 3600, exp: now - 60 }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const res = await h.server.inject({
        method: 'GET',
        url: '/v1/agents/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect([what, res.statusCode, res.json().error?.code]).toEqual([what, 401, 'CASE_UNAUTHENTICATED']);
    }
    expect(await status(await sign({ iat: now, exp: now + 12 * 3600 }))).toBe(200);
    expect(await status(await sign({ exp: now + 3600 }))).toBe(200);
    // Clocks a few seconds apart are not a reason to turn an agent away.
    expect(await status(await sign({ iat: now + 10, exp: now + 3600 }))).toBe(200);
    expect(await status(await h.token('ada', 'agent'))).toBe(200);
  });

  it('takes the cap from the configuration, and the development token follows it', async () => {
    const short = await startCases({ env: { CASES_AGENT_TOKEN_MAX_AGE_SECONDS: '3600' } });
    try {
      const cut = await signDevAgentToken({ agent: 'ada', role: 'agent', hours: 8, ...short.config.agentTokens });
      const lifetime = (token: string) => {
        const { exp, iat } = decodeJwt(token);
        return (exp ?? Number.NaN) - (iat ?? Number.NaN);
      };
      expect(lifetime(cut)).toBe(3600);
      const long = await signDevAgentToken({ agent: 'ada', role: 'agent', hours: 2, ...h.config.agentTokens });
      expect(lifetime(long)).toBe(2 * 3600);
      const at = async (server: CasesHarness, token: string) =>
        (
          await server.server.inject({
            method: 'GET',
            url: '/v1/agents/me',
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode;
      expect([await at(short, cut), await at(short, long), await at(h, long)]).toEqual([200, 401, 200]);
    } finally {
      await short.close();
    }
  });

  it('answers 403 CASE_FORBIDDEN to a valid token without an agent role on every agent route', async () => {
    const token = await h.token('visitor', null);
    for (const route of agentRoutes) {
      const res = await h.server.inject({
        method: route.method as 'GET',
        url: route.url,
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
      expect([route.url, res.statusCode, res.json().error?.code]).toEqual([route.url, 403, 'CASE_FORBIDDEN']);
    }
  });

  it('lets an agent through (to validation or 404) but keeps supervisor-only routes for supervisors', async () => {
    const agent = await h.token('alice', 'agent');
    const supervisor = await h.token('carol', 'supervisor');
    for (const route of agentRoutes) {
      const asAgent = await h.server.inject({
        method: route.method as 'GET',
        url: route.url,
        headers: { authorization: `Bearer ${agent}` },
        payload: {},
      });
      if (route.supervisorOnly) expect([route.url, asAgent.statusCode]).toEqual([route.url, 403]);
      else expect([route.url, [401, 403].includes(asAgent.statusCode)]).toEqual([route.url, false]);
      const asSupervisor = await h.server.inject({
        method: route.method as 'GET',
        url: route.url,
        headers: { authorization: `Bearer ${supervisor}` },
        payload: {},
      });
      expect([route.url, [401, 403].includes(asSupervisor.statusCode)]).toEqual([route.url, false]);
    }
  });
});
