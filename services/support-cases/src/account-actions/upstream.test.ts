import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamClient } from './upstream';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let elsewhere: Server;
let redirecting: Server;
let redirectingUrl: string;
const reachedElsewhere: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    reachedElsewhere.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const target = await listen(elsewhere);
  redirecting = createServer((req, res) => res.writeHead(307, { location: `${target}${req.url}` }).end());
  redirectingUrl = await listen(redirecting);
});
afterAll(async () => {
  await new Promise((resolve) => elsewhere.close(resolve));
  await new Promise((resolve) => redirecting.close(resolve));
});

describe('UpstreamClient', () => {
  it('never follows a redirect: the API key and the action go nowhere else, and the answer is 503', async () => {
    const client = new UpstreamClient('auth', redirectingUrl, 'internal-key-not-to-leak');
    const error = await client.request('POST', '/internal/v1/accounts/x/unlock', { actor: 'agent:ada' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ statusCode: 503, code: 'CASE_UPSTREAM_UNAVAILABLE' });
    expect(JSON.stringify(error)).not.toContain('internal-key-not-to-leak');
    expect(reachedElsewhere).toEqual([]);
  });
});
