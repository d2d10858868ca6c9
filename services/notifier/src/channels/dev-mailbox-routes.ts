import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { notifierOf } from '../application';
import { type DevMailbox, MAILBOX_ID_PATTERN } from './dev-mailbox';
import { MAILBOX_PAGE_CSP, mailboxListPage, mailboxMessagePage } from './dev-mailbox-pages';

/** The mailbox pages answer without a credential, like any page a developer opens (service kit `publicRoutes`). */
export const DEV_MAILBOX_PUBLIC_ROUTES = ['/dev/mailbox', '/dev/mailbox.json', '/dev/mailbox/*'] as const;

/** `20261129T195858123Z-<deliveryId>`, or the same with `.json` for the message as JSON. */
const messageParams = z.object({
  id: z.string().regex(new RegExp(`${MAILBOX_ID_PATTERN.source.slice(0, -1)}(\\.json)?$`)),
});

export interface DevMailboxRoutesOptions {
  /** The mailbox to show; default: the notifier application's (`notifierOf(app).mailbox`). */
  mailbox?: DevMailbox;
}

/**
 * The development mailbox's pages, registered only in development and only when no SMTP server
 * is configured (`app.ts`): `GET /dev/mailbox` (newest first, and `GET /dev/mailbox.json` as
 * `{ items }`), `GET /dev/mailbox/:id` (one message) and `GET /dev/mailbox/:id.json`. Hidden from the OpenAPI document: they are a
 * developer's tool, not part of the API. Pages run no script and carry their own strict
 * Content-Security-Policy (`MAILBOX_PAGE_CSP`). An id that is not a mailbox id is refused by the
 * schema (400 NOTIFIER_VALIDATION_FAILED: no path reaches the disk); an unknown one is 404.
 * Throws at boot when there is no mailbox to show.
 */
export const devMailboxRoutes = fp<DevMailboxRoutesOptions>(
  async (app, options) => {
    const mailbox = options.mailbox ?? notifierOf(app).mailbox;
    if (!mailbox) throw new Error('the development mailbox routes need a mailbox (email channel "dev-mailbox")');
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const html = (reply: FastifyReply, body: string) =>
      reply.header('content-security-policy', MAILBOX_PAGE_CSP).type('text/html; charset=utf-8').send(body);

    routes.get('/dev/mailbox', { schema: { hide: true } }, async (_request, reply) =>
      html(reply, mailboxListPage(await mailbox.list())),
    );

    // The list for scripts (the demo prints the e-mails it caused): the entries, newest first.
    routes.get('/dev/mailbox.json', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify({ items: await mailbox.list() })),
    );

    routes.get('/dev/mailbox/:id', { schema: { hide: true, params: messageParams } }, async (request, reply) => {
      const asJson = request.params.id.endsWith('.json');
      const message = await mailbox.read(asJson ? request.params.id.slice(0, -5) : request.params.id);
      if (!message) return reply.callNotFound();
      if (asJson) return reply.type('application/json; charset=utf-8').send(JSON.stringify(message));
      return html(reply, mailboxMessagePage(message));
    });
  },
  { name: 'notifier-dev-mailbox-routes', dependencies: ['service-kit'] },
);
