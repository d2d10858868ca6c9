import {
  blockDestinationBody,
  errorBody,
  listAuditPage,
  listAuditQuery,
  listEntriesPage,
  listEntriesQuery,
  listEntry,
  listEntryChangeDraft,
  listEntryDraft,
  listEntryRemovalDraft,
} from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import {
  addEntry,
  blockFlagDestination,
  changeEntry,
  type ListsRequest,
  listAudit,
  listEntries,
  removeEntry,
} from './lists-proxy';

const entryParams = z.object({ id: z.uuid() });
const errors = { ...commonErrors, 503: errorBody };
const changeErrors = { ...errors, 404: errorBody, 409: errorBody };
const tags = ['lists'];

const listsRequest = (request: FastifyRequest): ListsRequest => ({
  agent: agentOf(request),
  httpRequestId: request.id,
});

/**
 * The monitor's managed lists for the console (`lists-proxy.ts`): agents read the entries and the
 * audit trail, supervisors add, change and remove entries and block a confirmed-fraud flag's
 * destination. Refusals keep the monitor's codes as `CASE_LIST_*`.
 */
export const listRoutes = fp(
  async (app) => {
    const { db, monitor } = supportCasesOf(app);
    const deps = { db, monitor };
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/lists/entries',
      {
        schema: {
          tags,
          summary: 'Entries of the block, review and allow lists, newest first, with the lists version',
          security: security.agent,
          querystring: listEntriesQuery,
          response: { 200: listEntriesPage, ...errors },
        },
      },
      async (request) => listEntries(deps, listsRequest(request), request.query),
    );

    routes.get(
      '/v1/lists/audit',
      {
        schema: {
          tags,
          summary: 'Every change to the lists, newest first: who, when, what, before and after',
          security: security.agent,
          querystring: listAuditQuery,
          response: { 200: listAuditPage, ...errors },
        },
      },
      async (request) => listAudit(deps, listsRequest(request), request.query),
    );

    routes.post(
      '/v1/lists/entries',
      {
        schema: {
          tags,
          summary: 'Add an entry (supervisors only; the author is the supervisor)',
          description:
            'Values: counterparty `kind:id`, device id, IP address or CIDR prefix, ISO 3166-1 alpha-2 country. ' +
            '400 CASE_LIST_INVALID_VALUE, CASE_LIST_EXPIRY_IN_PAST; 409 CASE_LIST_ENTRY_EXISTS.',
          security: security.supervisor,
          body: listEntryDraft,
          response: { 201: listEntry, ...changeErrors },
        },
      },
      async (request, reply) => reply.status(201).send(await addEntry(deps, listsRequest(request), request.body)),
    );

    routes.patch(
      '/v1/lists/entries/:id',
      {
        schema: {
          tags,
          summary: "Change an entry's action, reason or expiry (supervisors only)",
          security: security.supervisor,
          params: entryParams,
          body: listEntryChangeDraft,
          response: { 200: listEntry, ...changeErrors },
        },
      },
      async (request) => changeEntry(deps, listsRequest(request), request.params.id, request.body),
    );

    routes.post(
      '/v1/lists/entries/:id/remove',
      {
        schema: {
          tags,
          summary: 'Remove an entry (supervisors only; soft: it stays in the audit trail)',
          security: security.supervisor,
          params: entryParams,
          body: listEntryRemovalDraft,
          response: { 200: listEntry, ...changeErrors },
        },
      },
      async (request) => removeEntry(deps, listsRequest(request), request.params.id, request.body.reason),
    );

    routes.post(
      '/v1/cases/:id/flags/:flagId/block-destination',
      {
        schema: {
          tags,
          summary: "Block the destination of a flag labelled fraud on this case's account (supervisors only)",
          description:
            'The offer the console makes once a flag is labelled fraud: adds the flagged payment’s counterparty ' +
            'to the block list, the reason naming the case and the flag. 409 CASE_FLAG_NOT_CONFIRMED_FRAUD, ' +
            'CASE_FLAG_HAS_NO_DESTINATION, CASE_LIST_ENTRY_EXISTS.',
          security: security.supervisor,
          params: z.object({ id: z.uuid(), flagId: z.uuid() }),
          body: blockDestinationBody,
          response: { 201: listEntry, ...changeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await blockFlagDestination(
              deps,
              listsRequest(request),
              request.params.id,
              request.params.flagId,
              request.body,
            ),
          ),
    );
  },
  { name: 'cases-list-routes', dependencies: ROUTE_DEPENDENCIES },
);
