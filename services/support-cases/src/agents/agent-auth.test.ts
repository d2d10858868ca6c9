import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, startCases } from '../test-harness';

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
