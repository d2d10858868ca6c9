import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { CASE_ROUTES, formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { csrfBody, formText } from '../web/forms';
import type { SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { caseHref, casePage } from './case-pages';
import { accountOrReply, notFound, unavailable } from './routes';
import { ratingOf, satisfactionHref } from './satisfaction-form';

/** Case numbers as support-cases writes them: the only ones worth a look-up (or a return after sign-in). */
const CASE_NUMBER = /^CASE-\d{6,12}$/;

/** What each refusal of support-cases tells the customer, and the page's status. */
const REFUSALS: Record<string, { key: string; status: number }> = {
  CASE_SATISFACTION_ALREADY_ANSWERED: { key: 'cases.satisfaction.already', status: 409 },
  CASE_SATISFACTION_EXPIRED: { key: 'cases.satisfaction.expired', status: 410 },
  CASE_NOT_RESOLVED: { key: 'cases.satisfaction.notNow', status: 409 },
  CASE_SATISFACTION_NOT_REQUESTED: { key: 'cases.satisfaction.notNow', status: 409 },
};

/**
 * The rating of a resolved request. The e-mail's links (`/cases/<number>/satisfaction?rating=4`)
 * hold no secret and change nothing: they open the request's page, after sign-in when needed
 * (sign-in comes back here), with that rating marked; the signed-in owner sends it with one tap.
 * A stranger with the link meets the sign-in page, and another account's request is not found.
 * The post carries the account id auth gives for this session, never one from the form.
 */
export const satisfactionRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const caseParams = z.object({ caseNumber: z.string().max(40) });

    /** The signed-in account's request with this number: `null` when it has none, `undefined` once a page is sent. */
    const requestOf = async (accountId: string, caseNumber: string, request: FastifyRequest, reply: FastifyReply) => {
      if (!CASE_NUMBER.test(caseNumber)) return null;
      const answer = await portal.cases.listCustomerCases({ query: { accountId }, requestId: request.id });
      if (answer.outcome !== 'ok') {
        await unavailable(portal, request, reply);
        return undefined;
      }
      return answer.body.items.find((c) => c.caseNumber === caseNumber) ?? null;
    };

    routes.get(
      CASE_ROUTES.satisfaction,
      { schema: { hide: true, params: caseParams, querystring: z.object({ rating: z.string().max(4).optional() }) } },
      async (request, reply) => {
        const { caseNumber } = request.params;
        const chosen = ratingOf(request.query.rating);
        if (!request.session.get('signedIn') && CASE_NUMBER.test(caseNumber)) {
          // Sign-in comes back to this form, with the rating the customer picked in the e-mail.
          request.session.set('returnTo', `${satisfactionHref(caseNumber)}${chosen ? `?rating=${chosen}` : ''}`);
          return reply.redirect(PAGE_PATHS.signIn, 303);
        }
        const accountId = await accountOrReply(portal, request, reply);
        if (!accountId) return reply;
        const found = await requestOf(accountId, caseNumber, request, reply);
        if (found === undefined) return reply;
        const page = pageContextOf(request, reply, portal, caseHref(caseNumber));
        if (found === null) return notFound(page, reply);
        const title = page.t('cases.caseTitle', { number: found.caseNumber });
        return sendPage(reply, page, title, casePage(page, found, undefined, chosen));
      },
    );

    routes.post(
      CASE_ROUTES.satisfaction,
      {
        ...formPost(app, portal.config.rateLimitPerMinute),
        schema: {
          hide: true,
          params: caseParams,
          body: z.object({ ...csrfBody, rating: formText(4), comment: formText(2000) }),
        },
      },
      async (request, reply) => {
        const accountId = await accountOrReply(portal, request, reply);
        if (!accountId) return reply;
        const found = await requestOf(accountId, request.params.caseNumber, request, reply);
        if (found === undefined) return reply;
        const page = pageContextOf(request, reply, portal, caseHref(request.params.caseNumber));
        if (found === null) return notFound(page, reply);
        const show = (message: SafeHtml, status: number, now = found) =>
          sendPage(
            reply,
            page,
            page.t('cases.caseTitle', { number: found.caseNumber }),
            casePage(page, now, message),
            status,
          );
        const rating = ratingOf(request.body.rating);
        if (rating === undefined) return show(notice('alert', page.t('cases.satisfaction.missing')), 400);
        const comment = request.body.comment?.trim();
        const sent = await portal.cases.rateCustomerCase({
          params: { id: found.caseId },
          body: { accountId, rating, ...(comment ? { comment } : {}) },
          requestId: request.id,
        });
        if (sent.outcome === 'ok') return reply.redirect(caseHref(found.caseNumber), 303);
        const refusal = sent.outcome === 'refused' && sent.code ? REFUSALS[sent.code] : undefined;
        if (!refusal) return unavailable(portal, request, reply);
        // The page as it is now (rated meanwhile, reopened), with why nothing was sent.
        const now = await requestOf(accountId, found.caseNumber, request, reply);
        if (now === undefined) return reply;
        return show(notice('alert', page.t(refusal.key)), refusal.status, now ?? found);
      },
    );
  },
  { name: 'portal-satisfaction-routes', dependencies: ROUTE_DEPENDENCIES },
);
