import { type CustomerCaseView, PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { type PortalApplication, portalOf } from '../application';
import { CASE_ROUTES, formPost, ROUTE_DEPENDENCIES } from '../route-conventions';
import { sessionEndedReply, sessionGone, signedInOrReply } from '../security/signed-in';
import { csrfBody, formText } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { pageContextOf, sendPage } from '../web/render';
import { caseHref, casePage, casesPage, type RequestDraft } from './case-pages';
import { PORTAL_CATEGORIES } from './case-words';
import type { RecentTransactions } from './transaction-choices';

/** At most this many transaction ids in one dispute (support-cases takes 50, each up to 128 characters). */
const MAX_TRANSACTIONS = 50;

/** How many recent transactions the form lists (the monitor's default page). */
const LISTED_TRANSACTIONS = 20;

/**
 * How far back a ticked transaction is looked for (the monitor's largest page): the list showed
 * the newest 20, and this leaves room for the ones that arrived while the customer wrote.
 */
const CHECKED_TRANSACTIONS = 100;

/**
 * The transaction ids a customer ticked and typed (typed ones with spaces, commas or semicolons
 * between them), without repeats, or `undefined` when there are too many or one is too long.
 * Typed ids are for a transaction the list does not show (older, or the monitor unreachable).
 */
function transactionIdsOf(chosen: readonly string[], typed: string | undefined): string[] | undefined {
  const ids = [...new Set([...chosen, ...(typed ?? '').split(/[\s,;]+/).filter((id) => id !== '')])];
  return ids.length <= MAX_TRANSACTIONS && ids.every((id) => id.length <= 128) ? ids : undefined;
}

/** The ticked checkboxes as the form body carries them: absent, one value, or several. */
const chosenOf = (value: string | string[] | undefined): string[] => [
  ...new Set(typeof value === 'string' ? [value] : (value ?? [])),
];

/**
 * The signed-in customer's account id, from auth for the session's own access token (never from
 * the URL or a form), or `undefined` once the reply is sent (sign-in, session ended, 503).
 */
export async function accountOrReply(
  portal: PortalApplication,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<string | undefined> {
  const session = await signedInOrReply(portal, request, reply);
  if (!session) return undefined;
  const me = await portal.auth.ownAccount({ bearer: session.accessToken, requestId: request.id });
  if (me.outcome === 'ok') return me.body.accountId;
  if (sessionGone(me)) {
    await sessionEndedReply(request, reply);
    return undefined;
  }
  await unavailable(portal, request, reply);
  return undefined;
}

export function unavailable(portal: PortalApplication, request: FastifyRequest, reply: FastifyReply) {
  const page = pageContextOf(request, reply, portal, PORTAL_PATHS.cases);
  return sendPage(reply, page, page.t('cases.title'), notice('alert', page.t('cases.unavailable')), 503);
}

export function notFound(page: PageContext, reply: FastifyReply) {
  const body = html`<p>${page.t('cases.notFound')}</p><p><a href="${PORTAL_PATHS.cases}">${page.t('cases.back')}</a></p>`;
  return sendPage(reply, page, page.t('notFound.title'), body, 404);
}

/**
 * The help centre's signed-in part: the customer's requests with their status in the customer's
 * words, a new complaint, question or transaction dispute (its transactions ticked in the list of
 * recent ones the monitor gives, or typed), one request with support's public replies and the
 * customer's messages, and an answer on it. Every call to support-cases and the monitor carries
 * the account id auth gives for this session, so another account's request or transaction is
 * never found, and a ticked transaction that is not the account's is refused (400).
 */
export const caseRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    /** The account's requests, or `undefined` once the 503 page is sent. */
    const casesOf = async (accountId: string, request: FastifyRequest, reply: FastifyReply) => {
      const answer = await portal.cases.listCustomerCases({ query: { accountId }, requestId: request.id });
      if (answer.outcome === 'ok') return answer.body.items;
      await unavailable(portal, request, reply);
      return undefined;
    };

    /**
     * The account's newest transactions from the monitor, for the dispute form. Unreachable or
     * refusing, the form says so and still takes typed ids: a dispute never waits for the monitor.
     */
    const recentOf = async (accountId: string, request: FastifyRequest): Promise<RecentTransactions> => {
      const answer = await portal.monitor.listAccountTransactions({
        params: { accountId },
        query: { limit: LISTED_TRANSACTIONS },
        requestId: request.id,
      });
      if (answer.outcome === 'ok') return { outcome: 'ok', items: answer.body.items };
      request.log.warn({ service: 'transaction-monitor', outcome: answer.outcome }, 'recent transactions not listed');
      return { outcome: 'unavailable' };
    };

    const showList = async (
      request: FastifyRequest,
      reply: FastifyReply,
      accountId: string,
      input: { message?: SafeHtml; draft?: RequestDraft; status?: number } = {},
    ) => {
      const [cases, recent] = await Promise.all([casesOf(accountId, request, reply), recentOf(accountId, request)]);
      if (!cases) return reply;
      const page = pageContextOf(request, reply, portal, PORTAL_PATHS.cases);
      return sendPage(reply, page, page.t('cases.title'), casesPage(page, cases, recent, input), input.status);
    };

    /**
     * Which ticked ids are not among the account's newest transactions (never trust the form: a
     * forged post may name anyone's), or `undefined` when the monitor gave no usable answer.
     */
    const notTheAccounts = async (
      accountId: string,
      chosen: readonly string[],
      request: FastifyRequest,
    ): Promise<string[] | undefined> => {
      if (chosen.length === 0) return [];
      const answer = await portal.monitor.listAccountTransactions({
        params: { accountId },
        query: { limit: CHECKED_TRANSACTIONS },
        requestId: request.id,
      });
      if (answer.outcome !== 'ok') {
        request.log.warn(
          { service: 'transaction-monitor', outcome: answer.outcome },
          'ticked transactions not checked',
        );
        return undefined;
      }
      const own = new Set(answer.body.items.map((tx) => tx.transactionId));
      return chosen.filter((id) => !own.has(id));
    };

    routes.get(PORTAL_PATHS.cases, { schema: { hide: true } }, async (request, reply) => {
      const accountId = await accountOrReply(portal, request, reply);
      if (!accountId) return reply;
      return showList(request, reply, accountId);
    });

    routes.post(
      PORTAL_PATHS.cases,
      {
        ...formPost(app, portal.config.rateLimitPerMinute),
        schema: {
          hide: true,
          body: z.object({
            ...csrfBody,
            category: formText(40),
            message: formText(5000),
            transactionIds: formText(1000),
            chosenTransactionIds: z.union([z.string().max(128), z.array(z.string().max(128)).max(200)]).optional(),
          }),
        },
      },
      async (request, reply) => {
        const accountId = await accountOrReply(portal, request, reply);
        if (!accountId) return reply;
        const { message, transactionIds: typed } = request.body;
        const chosen = chosenOf(request.body.chosenTransactionIds);
        const category = PORTAL_CATEGORIES.find((c) => c === request.body.category);
        const draft: RequestDraft = { category, message, transactionIds: typed, chosenTransactionIds: chosen };
        const page = pageContextOf(request, reply, portal, PORTAL_PATHS.cases);
        const refuse = (key: string, status = 400, kept: RequestDraft = draft) =>
          showList(request, reply, accountId, { message: notice('alert', page.t(key)), draft: kept, status });
        const transactionIds = transactionIdsOf(chosen, typed);
        if (!category || !message?.trim()) return refuse('cases.new.missing');
        if (!transactionIds) return refuse('cases.new.tooManyTransactions');
        if (category === 'transaction_dispute' && transactionIds.length === 0) {
          return refuse('cases.new.transactionsMissing');
        }
        const foreign = await notTheAccounts(accountId, chosen, request);
        if (foreign === undefined) {
          // The ticked ids move to the typed field: the list may be gone when the page comes back.
          const kept = {
            ...draft,
            chosenTransactionIds: [],
            transactionIds: [...chosen, typed ?? ''].join(' ').trim(),
          };
          return refuse('cases.new.transactionsUncheckable', 503, kept);
        }
        if (foreign.length > 0) {
          const kept = { ...draft, chosenTransactionIds: chosen.filter((id) => !foreign.includes(id)) };
          return refuse('cases.new.notYourTransactions', 400, kept);
        }
        const opened = await portal.cases.openCustomerCase({
          body: { accountId, category, message: message.trim(), transactionIds, locale: page.locale },
          requestId: request.id,
        });
        if (opened.outcome === 'ok') return reply.redirect(caseHref(opened.body.caseNumber), 303);
        if (opened.outcome === 'refused' && opened.code === 'CASE_TRANSACTION_NOT_OF_ACCOUNT') {
          return refuse('cases.new.foreignTransactions');
        }
        return unavailable(portal, request, reply);
      },
    );

    /**
     * The account's request with this number (or the one it was merged into as a duplicate), `null`
     * when it has none, `undefined` once the 503 page is sent.
     */
    const findCase = async (
      accountId: string,
      caseNumber: string,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<CustomerCaseView | null | undefined> => {
      const cases = await casesOf(accountId, request, reply);
      if (!cases) return undefined;
      return (
        cases.find((c) => c.caseNumber === caseNumber) ??
        cases.find((c) => c.mergedCaseNumbers?.includes(caseNumber)) ??
        null
      );
    };

    const caseParams = z.object({ caseNumber: z.string().max(40) });

    routes.get(CASE_ROUTES.case, { schema: { hide: true, params: caseParams } }, async (request, reply) => {
      const accountId = await accountOrReply(portal, request, reply);
      if (!accountId) return reply;
      const found = await findCase(accountId, request.params.caseNumber, request, reply);
      if (found === undefined) return reply;
      const page = pageContextOf(request, reply, portal, caseHref(request.params.caseNumber));
      if (found === null) return notFound(page, reply);
      // A merged duplicate's number: the request goes on under its survivor's.
      if (found.caseNumber !== request.params.caseNumber) return reply.redirect(caseHref(found.caseNumber), 303);
      return sendPage(reply, page, page.t('cases.caseTitle', { number: found.caseNumber }), casePage(page, found));
    });

    routes.post(
      CASE_ROUTES.messages,
      {
        ...formPost(app, portal.config.rateLimitPerMinute),
        schema: { hide: true, params: caseParams, body: z.object({ ...csrfBody, message: formText(5000) }) },
      },
      async (request, reply) => {
        const accountId = await accountOrReply(portal, request, reply);
        if (!accountId) return reply;
        const found = await findCase(accountId, request.params.caseNumber, request, reply);
        if (found === undefined) return reply;
        const page = pageContextOf(request, reply, portal, caseHref(request.params.caseNumber));
        if (found === null) return notFound(page, reply);
        const title = page.t('cases.caseTitle', { number: found.caseNumber });
        const message = request.body.message?.trim();
        if (!message) {
          return sendPage(
            reply,
            page,
            title,
            casePage(page, found, notice('alert', page.t('cases.reply.missing'))),
            400,
          );
        }
        const sent = await portal.cases.addCustomerMessage({
          params: { id: found.caseId },
          body: { accountId, body: message },
          requestId: request.id,
        });
        if (sent.outcome === 'ok') return reply.redirect(caseHref(found.caseNumber), 303);
        if (sent.outcome === 'refused' && sent.code === 'CASE_CLOSED') {
          const now = await findCase(accountId, found.caseNumber, request, reply);
          if (now === undefined) return reply;
          const alert = notice('alert', page.t('cases.reply.closedNow'));
          return sendPage(reply, page, title, casePage(page, now ?? found, alert), 409);
        }
        return unavailable(portal, request, reply);
      },
    );
  },
  { name: 'portal-case-routes', dependencies: ROUTE_DEPENDENCIES },
);
