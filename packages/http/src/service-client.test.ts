import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { authInternalApi, authPublicApi, type InternalAccountView, monitorFlagsApi } from '@wallet-guard/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from './service-client';

const API_KEY = 'internal-key-not-to-leak';
const BEARER = 'access-token-not-to-leak.eyJzdWIiOiJ4In0.sig';
const accountId = randomUUID();
const now = new Date().toISOString();
const account: InternalAccountView = {
  accountId,
  email: 'ada@example.com',
  locale: 'en',
  status: 'active',
  frozen: null,
  locked: false,
  locks: [],
  twoFactorEnabled: false,
  activeSessions: 1,
  createdAt: now,
  lastLoginAt: null,
  passwordChangedAt: now,
};

interface Seen {
  method: string;
  url: string;
  apiKey: unknown;
  requestId: unknown;
  authorization: unknown;
  body: unknown;
}
const seen: Seen[] = [];
let shape: 'good' | 'bad' | 'not-json' | 'status-202' = 'good';

let target: FastifyInstance;
let elsewhere: FastifyInstance;
let redirecting: FastifyInstance;
let baseUrl: string;
let redirectUrl: string;
const reachedElsewhere: string[] = [];

const listen = async (app: FastifyInstance) => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  target = Fastify({ forceCloseConnections: true });
  target.addHook('onRequest', async (request) => {
    seen.push({
      method: request.method,
      url: request.url,
      apiKey: request.headers['x-api-key'],
      requestId: request.headers['x-request-id'],
      authorization: request.headers.authorization,
      body: undefined,
    });
  });
  target.addHook('preHandler', async (request) => {
    const last = seen.at(-1);
    if (last) last.body = request.body;
  });
  target.get<{ Params: { id: string } }>('/internal/v1/accounts/:id', async (request, reply) => {
    if (request.params.id !== accountId) {
      return reply.status(404).send({ error: { code: 'AUTH_ACCOUNT_NOT_FOUND', message: 'No such account' } });
    }
    if (shape === 'bad') return { ...account, status: 'melted' };
    if (shape === 'not-json') return reply.type('application/json').send('{"accountId": ');
    if (shape === 'status-202') return reply.status(202).send(account);
    return account;
  });
  target.get('/internal/v1/accounts/:id/security-events', async () => ({ items: [], nextBefore: null }));
  target.post('/internal/v1/accounts/:id/freeze', async (_request, reply) => reply.status(204).send());
  target.post('/internal/v1/accounts/:id/unlock', async (_request, reply) =>
    reply.status(409).send({ error: { code: 'AUTH_ACCOUNT_FROZEN', message: 'frozen' } }),
  );
  target.post('/internal/v1/accounts/:id/unfreeze', async (_request, reply) => reply.status(500).send('oops'));
  target.delete('/v1/sessions/current', async (request, reply) =>
    request.headers.authorization === `Bearer ${BEARER}`
      ? reply.status(204).send()
      : reply.status(401).send({ error: { code: 'AUTH_UNAUTHORIZED', message: 'No valid access token' } }),
  );
  target.get('/v1/accounts/me', async (_request, reply) => reply.status(500).send('oops'));
  target.get('/v1/flags', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { items: [], nextCursor: null };
  });
  baseUrl = await listen(target);

  elsewhere = Fastify({ forceCloseConnections: true });
  elsewhere.all('/*', async (request) => {
    reachedElsewhere.push(request.url);
    return {};
  });
  const elsewhereUrl = await listen(elsewhere);
  redirecting = Fastify({ forceCloseConnections: true });
  redirecting.all('/*', async (request, reply) => reply.redirect(`${elsewhereUrl}${request.url}`, 307));
  redirectUrl = await listen(redirecting);
});

afterAll(async () => {
  await Promise.all([target.close(), elsewhere.close(), redirecting.close()]);
});

const auth = () => createServiceClient({ service: 'auth', baseUrl, apiKey: API_KEY, endpoints: authInternalApi });

describe('createServiceClient', () => {
  it('sends the API key and request id, and returns the body the contract accepted', async () => {
    shape = 'good';
    const answer = await auth().getAccount({ params: { id: accountId }, requestId: 'req-1' });
    expect(answer).toEqual({ outcome: 'ok', status: 200, body: account });
    expect(seen.at(-1)).toMatchObject({
      method: 'GET',
      url: `/internal/v1/accounts/${accountId}`,
      apiKey: API_KEY,
      requestId: 'req-1',
    });
  });

  it('encodes path parameters, so one cannot reach another path', async () => {
    const answer = await auth().getAccount({ params: { id: '../../v1/flags?x=1' } });
    expect(seen.at(-1)?.url).toBe('/internal/v1/accounts/..%2F..%2Fv1%2Fflags%3Fx%3D1');
    expect(answer).toMatchObject({ outcome: 'refused', status: 404, code: 'AUTH_ACCOUNT_NOT_FOUND' });
  });

  it('sends the query and the JSON body', async () => {
    const events = await auth().listSecurityEvents({ params: { id: accountId }, query: { limit: 20 } });
    expect(events).toEqual({ outcome: 'ok', status: 200, body: { items: [], nextBefore: null } });
    expect(seen.at(-1)?.url).toBe(`/internal/v1/accounts/${accountId}/security-events?limit=20`);

    const caseId = randomUUID();
    const frozen = await auth().freezeAccount({
      params: { id: accountId },
      body: { actor: 'agent:ada', caseId, reason: 'theft', by: 'agent' },
    });
    expect(frozen).toEqual({ outcome: 'ok', status: 204, body: undefined });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      body: { actor: 'agent:ada', caseId, reason: 'theft', by: 'agent' },
    });
  });

  it("returns a refusal with the target's error code", async () => {
    const answer = await auth().unlockAccount({ params: { id: accountId }, body: { actor: 'agent:ada' } });
    expect(answer).toEqual({
      outcome: 'refused',
      status: 409,
      code: 'AUTH_ACCOUNT_FROZEN',
      error: { code: 'AUTH_ACCOUNT_FROZEN', message: 'frozen' },
    });
  });

  it('turns a 5xx, a body the contract refuses, bad JSON and an undeclared status into unavailable', async () => {
    const failed = await auth().unfreezeAccount({ params: { id: accountId }, body: { actor: 'agent:ada' } });
    expect(failed).toMatchObject({ outcome: 'unavailable', service: 'auth', reason: 'server_error', status: 500 });

    for (const s of ['bad', 'not-json', 'status-202'] as const) {
      shape = s;
      const answer = await auth().getAccount({ params: { id: accountId } });
      expect(answer, s).toMatchObject({ outcome: 'unavailable', service: 'auth', reason: 'unexpected_answer' });
    }
    shape = 'good';
  });

  it('gives up after timeoutMs', async () => {
    const monitor = createServiceClient({
      service: 'transaction-monitor',
      baseUrl,
      apiKey: API_KEY,
      timeoutMs: 200,
      endpoints: monitorFlagsApi,
    });
    const answer = await monitor.listFlags({ query: { accountId } });
    expect(answer).toMatchObject({ outcome: 'unavailable', service: 'transaction-monitor', reason: 'timeout' });
  });

  it('reports a service that is not listening as unreachable', async () => {
    const closed = Fastify({ forceCloseConnections: true });
    const url = await listen(closed);
    await closed.close();
    const answer = await createServiceClient({
      service: 'auth',
      baseUrl: url,
      apiKey: API_KEY,
      endpoints: authInternalApi,
    }).getAccount({ params: { id: accountId } });
    expect(answer).toMatchObject({ outcome: 'unavailable', reason: 'unreachable' });
  });

  it("sends the user's bearer token only when given, and never repeats it", async () => {
    const client = createServiceClient({ service: 'auth', baseUrl, apiKey: API_KEY, endpoints: authPublicApi });
    expect(await client.signOut({ bearer: BEARER })).toEqual({ outcome: 'ok', status: 204, body: undefined });
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', authorization: `Bearer ${BEARER}`, apiKey: API_KEY });

    const without = await client.signOut({});
    expect(without).toMatchObject({ outcome: 'refused', status: 401 });
    expect(seen.at(-1)?.authorization).toBeUndefined();

    const failed = await client.ownAccount({ bearer: BEARER });
    const broken = await client.ownAccount({ bearer: `${BEARER}\r\nx-evil: 1` });
    const unreachable = await createServiceClient({
      service: 'auth',
      baseUrl: 'http://127.0.0.1:1',
      apiKey: API_KEY,
      endpoints: authPublicApi,
    }).ownAccount({ bearer: BEARER });
    expect([failed, broken, unreachable].map((a) => a.outcome)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    for (const answer of [without, failed, broken, unreachable]) expect(JSON.stringify(answer)).not.toContain(BEARER);
  });

  it('never follows a redirect: the API key and the action go nowhere else', async () => {
    const answer = await createServiceClient({
      service: 'auth',
      baseUrl: redirectUrl,
      apiKey: API_KEY,
      endpoints: authInternalApi,
    }).freezeAccount({ params: { id: accountId }, body: { actor: 'agent:ada' } });
    expect(answer).toMatchObject({ outcome: 'unavailable', reason: 'redirect' });
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
    expect(reachedElsewhere).toEqual([]);
  });
});
