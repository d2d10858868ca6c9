import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceKit } from '@wallet-guard/http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingDelivery } from './channel';
import { createDevMailbox, type DevMailbox } from './dev-mailbox';
import { DEV_MAILBOX_PUBLIC_ROUTES, devMailboxRoutes } from './dev-mailbox-routes';

const LINK = 'http://localhost:4005/unlock#token=ul_5e4d3c2b1a0f9e8d7c6b5a4938271605';

function delivery(locale: string, subject: string): OutgoingDelivery {
  return {
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    accountId: randomUUID(),
    to: 'ann@example.com',
    message: {
      kind: 'unlock_link',
      locale,
      subject,
      text: `Unlock: ${LINK}`,
      // What an e-mail may carry that must not run in the page.
      html: `<html><head><style>p{color:#123}</style></head><body><p>Unlock "<a href="${LINK}">here</a>"</p><script>alert(1)</script></body></html>`,
      link: LINK,
    },
  };
}

let dir: string;
let mailbox: DevMailbox;
let app: FastifyInstance;
let clock = Date.parse('2026-11-29T08:00:00.000Z');
const english = delivery('en', 'Unlock your account');
const chinese = delivery('zh-CN', '解锁您的账户');

beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'notifier-mailbox-')), 'mailbox');
  mailbox = createDevMailbox(dir, { now: () => new Date(clock) });
  app = Fastify();
  await app.register(serviceKit, {
    service: 'notifier',
    title: 'Notifier',
    description: 'test',
    version: '0.0.0',
    errorPrefix: 'NOTIFIER',
    readiness: {},
    sharedMetrics: [],
    publicRoutes: DEV_MAILBOX_PUBLIC_ROUTES,
  });
  await app.register(devMailboxRoutes, { mailbox });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('development mailbox', () => {
  it('stores each message as <time>-<deliveryId>.json, readable by its owner only', async () => {
    expect(await mailbox.list()).toEqual([]); // the folder does not exist yet
    expect(await mailbox.send(english)).toMatchObject({ kind: 'accepted', response: expect.stringMatching(/^stored/) });
    clock += 60_000;
    expect((await mailbox.send(chinese)).kind).toBe('accepted');

    const files = await readdir(dir);
    expect(files.sort()).toEqual([
      `20261129T080000000Z-${english.deliveryId}.json`,
      `20261129T080100000Z-${chinese.deliveryId}.json`,
    ]);
    expect((await stat(join(dir, files[0] as string))).mode & 0o777).toBe(0o600);
    expect(mailbox.name).toBe('email');
    expect(mailbox.target).toBe('development mailbox');
  });

  it('stores a repeated delivery once', async () => {
    clock += 60_000;
    expect(await mailbox.send(english)).toMatchObject({
      kind: 'accepted',
      response: expect.stringMatching(/^already/),
    });
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('lists newest first and reads a message whole', async () => {
    const entries = await mailbox.list();
    expect(entries.map((e) => [e.subject, e.locale])).toEqual([
      ['解锁您的账户', 'zh-CN'],
      ['Unlock your account', 'en'],
    ]);
    const message = await mailbox.read((entries[0] as { id: string }).id);
    expect(message).toMatchObject({
      deliveryId: chinese.deliveryId,
      to: 'ann@example.com',
      text: `Unlock: ${LINK}`,
      link: LINK,
      createdAt: '2026-11-29T08:01:00.000Z',
    });
  });

  it('reads nothing outside its folder, whatever the id', async () => {
    // A file outside that reads as a valid message: only the id check keeps it out.
    const inside = await mailbox.read(`20261129T080000000Z-${english.deliveryId}`);
    await writeFile(join(dir, '..', 'secret.json'), JSON.stringify({ ...inside, to: 'x' }));
    for (const id of ['../secret', '..%2Fsecret', `20261129T080000000Z-${english.deliveryId}/../../secret`, '', '.']) {
      expect(await mailbox.read(id)).toBeUndefined();
    }
  });

  it('reports a folder it cannot write as transient', async () => {
    const blocked = join(dir, '..', 'a-file');
    await writeFile(blocked, '');
    const outcome = await createDevMailbox(join(blocked, 'mailbox')).send(english);
    expect(outcome).toEqual({ kind: 'transient', reason: 'development mailbox write failed (ENOTDIR)' });
  });
});

describe('development mailbox pages', () => {
  const NO_SCRIPT = /<script|\son[a-z]+\s*=|javascript:/i;

  it('lists the messages newest first with time, recipient, subject, locale and a link to each', async () => {
    const res = await app.inject({ method: 'GET', url: '/dev/mailbox' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toMatch(NO_SCRIPT);
    const [newest, oldest] = [res.body.indexOf('解锁您的账户'), res.body.indexOf('Unlock your account')];
    expect(newest).toBeGreaterThan(0);
    expect(oldest).toBeGreaterThan(newest);
    expect(res.body).toContain(`href="/dev/mailbox/20261129T080100000Z-${chinese.deliveryId}"`);
    expect(res.body).toContain('2026-11-29 08:01:00Z');
    expect(res.body).toContain('ann@example.com');
  });

  it('shows one message: headers, link, text, and its HTML only inside a sandboxed srcdoc frame', async () => {
    const id = `20261129T080000000Z-${english.deliveryId}`;
    const res = await app.inject({ method: 'GET', url: `/dev/mailbox/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.body).not.toMatch(NO_SCRIPT);
    expect(res.body).toContain('<iframe sandbox title="HTML part" srcdoc="&lt;html&gt;');
    expect(res.body).toContain(`Unlock &quot;&lt;a href=&quot;${LINK}&quot;&gt;here&lt;/a&gt;&quot;`);
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain(`<a href="${LINK}" rel="noreferrer">`);
    expect(res.body).toContain('<dt>Content-Language</dt><dd>en</dd>');
    expect(res.body).toContain(`<pre lang="en">Unlock: ${LINK}</pre>`);
  });

  it('answers the message as JSON at :id.json', async () => {
    const id = `20261129T080100000Z-${chinese.deliveryId}`;
    const res = await app.inject({ method: 'GET', url: `/dev/mailbox/${id}.json` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toMatchObject({ id, subject: '解锁您的账户', locale: 'zh-CN', link: LINK });
  });

  it('refuses ids that try to leave the folder (400) and answers an unknown one with 404', async () => {
    for (const url of ['/dev/mailbox/..%2F..%2Fsecret', '/dev/mailbox/..%2Fsecret.json', '/dev/mailbox/%2E%2E']) {
      const res = await app.inject({ method: 'GET', url });
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body, url).not.toContain('"to":"x"');
      expect(res.body, url).not.toContain('Unlock');
    }
    expect((await app.inject({ method: 'GET', url: '/dev/mailbox/..%2F..%2Fsecret' })).json()).toMatchObject({
      error: { code: 'NOTIFIER_VALIDATION_FAILED' },
    });
    const unknown = await app.inject({ method: 'GET', url: `/dev/mailbox/20261129T080000000Z-${randomUUID()}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'NOTIFIER_NOT_FOUND' } });
  });

  it('is hidden from the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dev/'))).toEqual([]);
  });
});
