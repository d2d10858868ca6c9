// Review helper: a webhook receiver that records calls and can hold its first answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  calls: { eventId: string; webhookId: string; at: number }[];
  /** Milliseconds the next answer waits (then back to 0). */
  holdNext: { ms: number };
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const calls: Receiver['calls'] = [];
  const holdNext = { ms: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      calls.push({
        eventId: JSON.parse(body).data?.eventId,
        webhookId: String(req.headers['webhook-id']),
        at: Date.now(),
      });
      const hold = holdNext.ms;
      holdNext.ms = 0;
      setTimeout(() => {
        res.statusCode = 204;
        res.end();
      }, hold);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    holdNext,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
