import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

/** A minimal SMTP client speaking over a real socket: one command, one reply. */
class SmtpDialogue {
  private buffer = '';
  private waiting: ((line: string) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.flush();
    });
  }

  static async open(port: number): Promise<SmtpDialogue> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const dialogue = new SmtpDialogue(socket);
    await dialogue.reply(); // greeting
    return dialogue;
  }

  /** The next complete reply (its last line, "250 ..."), skipping continuation lines ("250-..."). */
  private reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }

  private flush(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0 || !this.waiting) return;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      if (/^\d{3} /.test(line)) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      }
    }
  }

  async command(line: string): Promise<string> {
    const answer = this.reply();
    this.socket.write(`${line}\r\n`);
    return answer;
  }

  /** EHLO, AUTH (when given), MAIL, RCPT, DATA; stops at the first refusal and returns its reply. */
  async send(message: { to: string; subject: string; auth?: { user: string; pass: string } }): Promise<string> {
    await this.command('EHLO client.test');
    if (message.auth) {
      const plain = Buffer.from(`\0${message.auth.user}\0${message.auth.pass}`).toString('base64');
      const auth = await this.command(`AUTH PLAIN ${plain}`);
      if (!auth.startsWith('235')) return auth;
    }
    await this.command('MAIL FROM:<sender@client.test>');
    const rcpt = await this.command(`RCPT TO:<${message.to}>`);
    if (!rcpt.startsWith('250')) return rcpt;
    await this.command('DATA');
    const headers = [
      'From: Sender <sender@client.test>',
      `To: <${message.to}>`,
      `Subject: ${message.subject}`,
      'Message-ID: <m1@client.test>',
      'Content-Language: zh-CN',
      'Content-Type: text/plain; charset=utf-8',
    ];
    return this.command(`${headers.join('\r\n')}\r\n\r\nhello\r\n.`);
  }

  close(): void {
    this.socket.destroy();
  }
}

async function sendOnce(sink: SmtpSink, message: Parameters<SmtpDialogue['send']>[0]): Promise<string> {
  const dialogue = await SmtpDialogue.open(sink.port);
  try {
    return await dialogue.send(message);
  } finally {
    dialogue.close();
  }
}

const AUTH = { user: 'notifier', pass: 'p@ss word' };
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ auth: AUTH });
});
afterAll(async () => {
  await sink.close();
});

describe('smtp sink', () => {
  it('gives a URL with the encoded credentials and its port', () => {
    expect(sink.url).toBe(`smtp://notifier:p%40ss%20word@127.0.0.1:${sink.port}`);
    expect(sink.port).toBeGreaterThan(0);
  });

  it('accepts a message and parses it (envelope, headers, text)', async () => {
    const reply = await sendOnce(sink, { to: 'ann@example.com', subject: 'first', auth: AUTH });
    expect(reply).toMatch(/^250 Accepted: queued as \d+/);
    const mail = await sink.waitFor((m) => m.subject === 'first', 1_000);
    expect(mail).toMatchObject({
      envelope: { from: 'sender@client.test', to: ['ann@example.com'] },
      from: 'sender@client.test',
      to: ['ann@example.com'],
      text: 'hello\n',
      html: '',
      messageId: '<m1@client.test>',
    });
    expect(mail.headers['content-language']).toBe('zh-CN');
  });

  it('answers wrong credentials with 535', async () => {
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'x', auth: { ...AUTH, pass: 'wrong' } })).toMatch(
      /^535 /,
    );
  });

  it('refuses with the code it is told, at RCPT or DATA, as many times as told', async () => {
    sink.respondWith(451, { times: 1 });
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'r1', auth: AUTH })).toMatch(/^451 /);
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'r2', auth: AUTH })).toMatch(/^250 /);
    sink.respondWith(550, { at: 'data', message: 'No such user' });
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'r3', auth: AUTH })).toBe('550 No such user');
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'r4', auth: AUTH })).toBe('550 No such user');
    sink.respondWith(null);
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'r5', auth: AUTH })).toMatch(/^250 /);
    expect(sink.refused).toBe(3);
    expect(sink.messages.map((m) => m.subject)).toEqual(['first', 'r2', 'r5']);
  });

  it('refuses connections while stopped and listens on the same port once started again', async () => {
    const port = sink.port;
    await sink.stop();
    await expect(SmtpDialogue.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await sink.start();
    expect(await sendOnce(sink, { to: 'a@example.com', subject: 'back', auth: AUTH })).toMatch(/^250 /);
    expect(sink.port).toBe(port);
  });

  it('waits for a message still to come, and says what came when none matches in time', async () => {
    const later = sink.waitFor((m) => m.subject === 'later', 2_000);
    await sendOnce(sink, { to: 'a@example.com', subject: 'later', auth: AUTH });
    expect((await later).subject).toBe('later');
    await expect(sink.waitFor((m) => m.subject === 'never', 100)).rejects.toThrow(
      /no matching message within 100 ms; received: "first", "r2"/,
    );
  });
});
