import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingDelivery } from './channel';
import { createWebhookChannel, type WebhookPayload } from './webhook-channel';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const LINK = 'http://localhost:4005/unlock#token=ul_0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function delivery(): OutgoingDelivery {
  return {
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    accountId: randomUUID(),
    to: 'ann@example.com',
    message: {
      kind: 'unlock_link',
      locale: 'en',
      subject: 'Unlock your account',
      text: `Unlock: ${LINK}`,
      html: `<a href="${LINK}">Unlock</a>`,
      link: LINK,
    },
  };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver: answers `status` (after `delayMs`), echoing the request body back. */
const receiver = { status: 200, delayMs: 0, requests: [] as Received[] };
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.requests.push({ headers: request.headers, body });
      setTimeout(() => {
        // Echoes the body (and so the link): the channel must not carry it into a reason.
        const redirect = receiver.status >= 300 && receiver.status < 400 ? { location: '/elsewhere' } : {};
        response.writeHead(receiver.status, { 'content-type': 'application/json', ...redirect }).end(body);
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/notifications?k=1`;
});
beforeEach(() => {
  receiver.status = 200;
  receiver.delayMs = 0;
  receiver.requests = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

describe('webhook channel against a real HTTP receiver', () => {
  it('posts the message signed per Standard Webhooks, with the delivery id as webhook-id', async () => {
    const channel = createWebhookChannel({ url, secret: SECRET, timeoutMs: 2_000 });
    const d = delivery();

    expect(await channel.send(d)).toEqual({ kind: 'accepted', response: 'webhook 200' });
    const [request] = receiver.requests as [Received];
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(d.deliveryId);

    const verified = new Webhook(SECRET).verify(request.body, headersOf(request)) as WebhookPayload;
    expect(verified).toEqual({
      type: 'notification.unlock_link',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      data: {
        deliveryId: d.deliveryId,
        eventId: d.eventId,
        accountId: d.accountId,
        kind: 'unlock_link',
        locale: 'en',
        email: 'ann@example.com',
        subject: 'Unlock your account',
        text: `Unlock: ${LINK}`,
        link: LINK,
      },
    });
    expect(Date.parse(verified.timestamp) / 1000).toBe(Number(request.headers['webhook-timestamp']));
    expect(channel.target).toBe(new URL(url).origin);
  });

  it('keeps webhook-id across attempts and signs each attempt afresh', async () => {
    let clock = Date.parse('2026-11-29T12:00:00Z');
    const channel = createWebhookChannel({ url, secret: SECRET, now: () => new Date(clock) });
    const d = delivery();
    await channel.send(d);
    clock += 90_000;
    await channel.send(d);
    const [first, second] = receiver.requests as [Received, Received];
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(Number(second.headers['webhook-timestamp']) - Number(first.headers['webhook-timestamp'])).toBe(90);
    expect(second.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
  });

  it('is refused by a verifier holding a different secret, or when the body was altered', async () => {
    const channel = createWebhookChannel({ url, secret: SECRET });
    await channel.send(delivery());
    const [request] = receiver.requests as [Received];
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
    expect(() => other.verify(request.body, headersOf(request))).toThrow(/signature/i);
    const altered = request.body.replace('ann@example.com', 'eve@example.com');
    expect(() => new Webhook(SECRET).verify(altered, headersOf(request))).toThrow(/signature/i);
  });

  it.each([
    [500, 'transient'],
    [503, 'transient'],
    [408, 'transient'],
    [429, 'transient'],
    [400, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
  ] as const)('answers %i as %s, naming the status and never the body', async (status, kind) => {
    receiver.status = status;
    const outcome = await createWebhookChannel({ url, secret: SECRET }).send(delivery());
    expect(outcome).toEqual({ kind, reason: `webhook ${status}` });
  });

  it('does not follow a redirect: transient, the URL is to be fixed', async () => {
    receiver.status = 302;
    const outcome = await createWebhookChannel({ url, secret: SECRET }).send(delivery());
    expect(outcome).toMatchObject({
      kind: 'transient',
      reason: expect.stringMatching(/^webhook 302: redirect not followed/),
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up on a receiver slower than timeoutMs: transient timeout', async () => {
    receiver.delayMs = 1_000;
    const started = Date.now();
    const outcome = await createWebhookChannel({ url, secret: SECRET, timeoutMs: 200 }).send(delivery());
    expect(outcome).toEqual({ kind: 'transient', reason: `timeout after 200 ms (${new URL(url).origin})` });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports a receiver that is not listening as transient "connection refused"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await createWebhookChannel({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET }).send(
      delivery(),
    );
    expect(outcome).toEqual({ kind: 'transient', reason: `connection refused (http://127.0.0.1:${port})` });
  });
});

describe('createWebhookChannel', () => {
  it('refuses a URL that is not http(s) and a secret that is not a key', () => {
    expect(() => createWebhookChannel({ url: 'ftp://example.com/x', secret: SECRET })).toThrow(/http/);
    expect(() => createWebhookChannel({ url: 'not a url?key=abc', secret: SECRET })).not.toThrow(/abc/);
    expect(() => createWebhookChannel({ url, secret: 'whsec_%%%not-base64' })).toThrow();
  });
});
