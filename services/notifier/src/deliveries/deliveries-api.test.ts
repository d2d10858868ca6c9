// Review probes (issue 13): GET /v1/deliveries with odd query values, scopes, OpenAPI.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier } from '../testing/harness';

let notifier: RunningNotifier;
beforeAll(async () => {
  notifier = await startNotifier();
});
afterAll(async () => {
  await notifier.close();
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const get = (url: string, key: string | null = 'dev-internal-key') =>
  notifier.server.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });

describe('GET /v1/deliveries never answers 500', () => {
  const account = randomUUID();
  const odd = [
    `accountId=${account}&limit=0`,
    `accountId=${account}&limit=-1`,
    `accountId=${account}&limit=201`,
    `accountId=${account}&limit=abc`,
    `accountId=${account}&limit=1e2`,
    `accountId=${account}&limit=1.5`,
    `accountId=${account}&limit=`,
    `accountId=${account}&limit=1&limit=2`,
    `accountId=${account}&limit=0x10`,
    `accountId=${account}&limit=%20`,
    `accountId=${account}&accountId=${randomUUID()}`,
    `accountId=not-a-uuid`,
    `accountId=${account.toUpperCase()}`,
    `accountId=${account}&caseId=`,
    `accountId=${account}&caseId=x`,
    `accountId=${account}&caseId=${randomUUID()}&caseId=${randomUUID()}`,
    `accountId=${account}&cursor=`,
    `accountId=${account}&cursor=${'A'.repeat(513)}`,
    `accountId=${account}&cursor=%00`,
    `accountId=${account}&cursor=${cursorOf(['2026-02-30T00:00:00Z', randomUUID()])}`,
    `accountId=${account}&cursor=${cursorOf(['2026-11-23T10:00:00.1234567Z', randomUUID()])}`,
    `accountId=${account}&cursor=${cursorOf(['9999-12-31T23:59:59.999999Z', randomUUID()])}`,
    `accountId=${account}&cursor=${cursorOf(['1970-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000'])}`,
    `accountId=${account}&cursor=${cursorOf(['2026-11-23T10:00:00Z', randomUUID(), 'extra'])}`,
    `accountId=${account}&cursor=${cursorOf(['2026-11-23T10:00:00Z'])}`,
    `accountId=${account}&cursor=${cursorOf({ 0: '2026-11-23T10:00:00Z', 1: randomUUID() })}`,
    `accountId=${account}&cursor=${cursorOf(null)}`,
    `accountId=${account}&cursor=${cursorOf(['2024-02-29T00:00:00Z', randomUUID()])}`,
    `accountId=${account}&cursor=${cursorOf(['2026-11-23T10:00:00Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff'])}`,
    `accountId=${account}&cursor=${cursorOf(['2026-11-23T10:00:00+00:00', randomUUID()])}`,
    `accountId[]=${account}`,
    `accountId[$ne]=1`,
  ];
  it.each(odd)('%s', async (query) => {
    const res = await get(`/v1/deliveries?${query}`);
    expect(res.statusCode, res.body).toBeLessThan(500);
    if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^NOTIFIER_/);
  });
});

describe('scopes', () => {
  it('refuses the wallet key, a wrong key, a key in the query string, and no key', async () => {
    const url = `/v1/deliveries?accountId=${randomUUID()}`;
    expect((await get(url, 'dev-wallet-key')).statusCode).toBe(403);
    expect((await get(url, 'not-a-key')).statusCode).toBe(401);
    expect((await get(url, null)).statusCode).toBe(401);
    expect((await get(`${url}&api_key=dev-internal-key&apiKey=dev-internal-key`, null)).statusCode).toBe(401);
    const bearer = await notifier.server.inject({
      method: 'GET',
      url,
      headers: { authorization: 'Bearer dev-internal-key' },
    });
    expect([200, 401]).toContain(bearer.statusCode);
  });
});

describe('OpenAPI', () => {
  it('documents /v1/deliveries with its security, query and every error it answers', async () => {
    const res = await get('/docs/json', null);
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const op = doc.paths['/v1/deliveries']?.get;
    expect(op).toBeDefined();
    expect(Object.keys(op.responses).sort()).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(op.security?.length).toBeGreaterThan(0);
    const names = (op.parameters ?? []).map((p: { name: string }) => p.name).sort();
    expect(names).toEqual(['accountId', 'caseId', 'cursor', 'limit']);
    expect(JSON.stringify(op)).toContain('NOTIFIER_INVALID_CURSOR');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dev'))).toEqual([]);
  });
});
