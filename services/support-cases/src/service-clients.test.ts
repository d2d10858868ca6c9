import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, upstreamUnavailable } from './service-clients';

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
    res.writeHead(204).end();
  });
  const target = await listen(elsewhere);
  redirecting = createServer((req, res) => res.writeHead(307, { location: `${target}${req.url}` }).end());
  redirectingUrl = await listen(redirecting);
});
afterAll(async () => {
  await new Promise((resolve) => elsewhere.close(resolve));
  await new Promise((resolve) => redirecting.close(resolve));
});

describe("the auth client's answers, as support-cases answers them", () => {
  it('never follows a redirect: the API key and the action go nowhere else, and the answer is 503', async () => {
    const auth = createAuthClient({ url: redirectingUrl, apiKey: 'internal-key-not-to-leak' });
    const answer = await auth.unlockAccount({ params: { id: randomUUID() }, body: { actor: 'agent:ada' } });
    if (answer.outcome !== 'unavailable') throw new Error(`expected no usable answer, got ${answer.outcome}`);
    const error = upstreamUnavailable(answer);
    expect(error).toMatchObject({ statusCode: 503, code: 'CASE_UPSTREAM_UNAVAILABLE' });
    expect(JSON.stringify([error, error.message, answer])).not.toContain('internal-key-not-to-leak');
    expect(reachedElsewhere).toEqual([]);
  });
});
