import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { type SmtpSink, startSmtpSink } from '@wallet-guard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutgoingDelivery } from './channel';
import { createSmtpChannel } from './smtp-channel';

const AUTH = { user: 'notifier', pass: 'sink-password-1' };
const FROM = '"Wallet Guard" <no-reply@wallet.example>';
const TOKEN = 'ul_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const LINK = `http://localhost:4005/unlock#token=${TOKEN}`;

function delivery(overrides: Partial<OutgoingDelivery['message']> = {}): OutgoingDelivery {
  return {
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    accountId: randomUUID(),
    to: 'ann@example.com',
    message: {
      kind: 'unlock_link',
      locale: 'zh-CN',
      subject: '解锁您的账户',
      text: `点击链接解锁：${LINK}`,
      html: `<p>点击<a href="${LINK}">这里</a>解锁</p>`,
      link: LINK,
      ...overrides,
    },
  };
}

let sink: SmtpSink;
let channel: Channel;

beforeAll(async () => {
  sink = await startSmtpSink({ auth: AUTH });
  channel = createSmtpChannel({ url: sink.url, from: FROM, timeoutMs: 3_000 });
});
afterEach(async () => {
  sink.respondWith(null);
  await sink.start();
});
afterAll(async () => {
  await channel.close();
  await sink.close();
});

describe('SMTP channel against a real SMTP server', () => {
  it('delivers subject, text and HTML parts, Content-Language and a Message-ID derived from the delivery', async () => {
    const d = delivery();
    const outcome = await channel.send(d);

    expect(outcome).toMatchObject({ kind: 'accepted', response: expect.stringMatching(/^250 Accepted/) });
    const mail = await sink.waitFor((m) => m.messageId === `<${d.deliveryId}@wallet.example>`);
    expect(mail.envelope.to).toEqual(['ann@example.com']);
    expect(mail.from).toBe('no-reply@wallet.example');
    expect(mail.subject).toBe('解锁您的账户');
    expect(mail.text).toContain(LINK);
    expect(mail.html).toContain(`href="${LINK}"`);
    expect(mail.headers['content-language']).toBe('zh-CN');
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative/);
  });

  it('sends a repeated delivery with the same Message-ID, so clients see one message', async () => {
    const d = delivery({ locale: 'en', subject: 'Unlock your account' });
    await channel.send(d);
    await channel.send(d);
    const copies = sink.messages.filter((m) => m.messageId === `<${d.deliveryId}@wallet.example>`);
    expect(copies).toHaveLength(2);
    expect(copies.map((m) => m.headers['content-language'])).toEqual(['en', 'en']);
  });

  it('names the server without credentials as its target', () => {
    expect(channel.target).toBe(`smtp://127.0.0.1:${sink.port}`);
    expect(channel.name).toBe('email');
  });

  it('treats 451 as transient and 550 as permanent, quoting the server', async () => {
    sink.respondWith(451);
    expect(await channel.send(delivery())).toEqual({
      kind: 'transient',
      reason: 'smtp 451: Requested action aborted: try again later',
    });
    sink.respondWith(550);
    expect(await channel.send(delivery())).toEqual({
      kind: 'permanent',
      reason: 'smtp 550: Requested action not taken: mailbox unavailable',
    });
    sink.respondWith(552, { at: 'data', message: 'Message size exceeds fixed maximum message size' });
    expect(await channel.send(delivery())).toMatchObject({
      kind: 'permanent',
      reason: expect.stringMatching(/^smtp 552: Message size/),
    });
  });

  it('never quotes the link or a token, even when the server echoes them', async () => {
    sink.respondWith(550, { message: `Rejected as spam: ${LINK} and ?token=${TOKEN}&x=1 ${'padding '.repeat(40)}` });
    const outcome = await channel.send(delivery());
    expect(outcome.kind).toBe('permanent');
    const reason = outcome.kind === 'permanent' ? outcome.reason : '';
    expect(reason).not.toContain(TOKEN);
    expect(reason).not.toContain('unlock#');
    expect(reason).toMatch(/^smtp 550: Rejected as spam: \[link\] and \?token=\[redacted\]/);
    expect(reason.length).toBeLessThanOrEqual('smtp 550: '.length + 200);
  });

  it('reports a stopped server as transient "connection refused", then delivers once it is back', async () => {
    await sink.stop();
    expect(await channel.send(delivery())).toEqual({
      kind: 'transient',
      reason: `connection refused (127.0.0.1:${sink.port})`,
    });
    await sink.start();
    expect((await channel.send(delivery())).kind).toBe('accepted');
  });

  it('reports refused credentials as transient: a configuration to fix while messages wait', async () => {
    const wrong = createSmtpChannel({
      url: `smtp://${AUTH.user}:wrong-password@127.0.0.1:${sink.port}`,
      from: FROM,
      timeoutMs: 3_000,
    });
    try {
      const outcome = await wrong.send(delivery());
      expect(outcome).toEqual({
        kind: 'transient',
        reason: 'smtp authentication failed (535 Authentication credentials invalid): check the SMTP credentials',
      });
      expect(JSON.stringify(outcome)).not.toContain('wrong-password');
    } finally {
      await wrong.close();
    }
  });

  it('reports a TLS handshake that fails (smtps:// to a plain server) as transient', async () => {
    const tls = createSmtpChannel({ url: `smtps://127.0.0.1:${sink.port}`, from: FROM, timeoutMs: 2_000 });
    try {
      const outcome = await tls.send(delivery());
      expect(outcome).toMatchObject({
        kind: 'transient',
        reason: expect.stringMatching(/^tls handshake failed \(127\.0\.0\.1:\d+\)/),
      });
    } finally {
      await tls.close();
    }
  });
});

describe('SMTP channel against a server that never answers', () => {
  let silent: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts the connection and says nothing: no greeting ever comes.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up after timeoutMs with a transient timeout', async () => {
    const slow = createSmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 300 });
    try {
      const started = Date.now();
      const outcome = await slow.send(delivery());
      expect(outcome).toMatchObject({ kind: 'transient', reason: expect.stringMatching(/^timeout/) });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await slow.close();
    }
  });
});

describe('SMTP channel against a tarpit (answers every command, slowly)', () => {
  let tarpit: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Each reply comes 250 ms late: no pause is long enough for a socket timeout, the whole is.
    tarpit = createServer((socket) => {
      sockets.add(socket);
      const reply = (line: string) => setTimeout(() => socket.writable && socket.write(`${line}\r\n`), 250);
      let buffered = '';
      let inData = false;
      socket.write('220 tarpit ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffered += chunk.toString('utf8');
        for (;;) {
          if (inData) {
            const end = buffered.indexOf('\r\n.\r\n');
            if (end < 0) return;
            buffered = buffered.slice(end + 5);
            inData = false;
            reply('250 queued');
            continue;
          }
          const end = buffered.indexOf('\r\n');
          if (end < 0) return;
          const command = buffered.slice(0, end).toUpperCase();
          buffered = buffered.slice(end + 2);
          if (command.startsWith('DATA')) {
            inData = true;
            reply('354 go ahead');
          } else if (command.startsWith('QUIT')) reply('221 bye');
          else reply('250 ok');
        }
      });
    });
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
    port = (tarpit.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => tarpit.close(() => resolve()));
  });

  it('aborts the attempt once timeoutMs is spent in all: transient, nothing left to arrive later', async () => {
    const slow = createSmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 600 });
    try {
      const started = Date.now();
      expect(await slow.send(delivery())).toEqual({
        kind: 'transient',
        reason: `timeout after 600 ms (127.0.0.1:${port})`,
      });
      expect(Date.now() - started).toBeLessThan(1_200);
    } finally {
      await slow.close();
    }
  });
});

describe('createSmtpChannel', () => {
  it('refuses a URL that is not smtp:// or smtps:// without repeating it', () => {
    expect(() => createSmtpChannel({ url: 'http://user:secret@host', from: FROM })).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => createSmtpChannel({ url: 'http://user:secret@host', from: FROM })).not.toThrow(/secret/);
  });
});
