import {
  addListEntryBody,
  changeListEntryBody,
  listAuditPage,
  listAuditQuery,
  listEntriesPage,
  listEntriesQuery,
  listEntry,
  removeListEntryBody,
} from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { monitorOf } from '../application';
import { monitorErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { addEntry, changeEntry, getEntry, listAudit, listEntries, removeEntry } from './lists-repo';

const entryParams = z.object({ id: z.uuid() });

/**
 * The managed lists (scope internal: support-cases proxies them for the console, agents read and
 * supervisors change, and names the agent as `author`). Every change bumps the lists version and
 * is audited in the same transaction; the pipeline picks the new version up on its next batch.
 */
export const listsRoutes = fp(
  async (app) => {
    const { db, clock } = monitorOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['lists'];

    routes.get(
      '/v1/lists/entries',
      {
        schema: {
          tags,
          summary: 'List entries, newest first, with the current lists version',
          security: security.internal,
          querystring: listEntriesQuery,
          response: { 200: listEntriesPage, ...commonErrors },
        },
      },
      async (request) => listEntries(db, request.query),
    );

    routes.get(
      '/v1/lists/entries/:id',
      {
        schema: {
          tags,
          summary: 'One list entry (removed ones too)',
          security: security.internal,
          params: entryParams,
          response: { 200: listEntry, ...commonErrors, 404: errorBody },
        },
      },
      async (request) => {
        const entry = await getEntry(db, request.params.id);
        if (!entry) throw monitorErrors.listEntryNotFound(request.params.id);
        return entry;
      },
    );

    routes.post(
      '/v1/lists/entries',
      {
        schema: {
          tags,
          summary: 'Add a counterparty, device, IP address or prefix, or country to the block, review or allow list',
          description:
            'counterparty values are `kind:id` (e.g. `crypto_address:bc1q...`), ip values an address or CIDR prefix ' +
            '(IPv4 or IPv6, host bits zero), country values ISO 3166-1 alpha-2. 400 TXM_LIST_INVALID_VALUE, ' +
            'TXM_LIST_EXPIRY_IN_PAST; 409 TXM_LIST_ENTRY_EXISTS names the live entry to change instead.',
          security: security.internal,
          body: addListEntryBody,
          response: { 201: listEntry, ...commonErrors, 409: errorBody },
        },
      },
      async (request, reply) => reply.status(201).send(await addEntry(db, request.body, clock())),
    );

    routes.patch(
      '/v1/lists/entries/:id',
      {
        schema: {
          tags,
          summary: "Change an entry's action, reason or expiry (null clears it)",
          security: security.internal,
          params: entryParams,
          body: changeListEntryBody,
          response: { 200: listEntry, ...commonErrors, 404: errorBody, 409: errorBody },
        },
      },
      async (request) => changeEntry(db, request.params.id, request.body, clock()),
    );

    routes.post(
      '/v1/lists/entries/:id/remove',
      {
        schema: {
          tags,
          summary: 'Remove an entry (soft: it stays readable and in the audit trail)',
          security: security.internal,
          params: entryParams,
          body: removeListEntryBody,
          response: { 200: listEntry, ...commonErrors, 404: errorBody, 409: errorBody },
        },
      },
      async (request) => removeEntry(db, request.params.id, request.body),
    );

    routes.get(
      '/v1/lists/audit',
      {
        schema: {
          tags,
          summary: 'The audit trail of the lists, newest change first: who, when, what, before and after',
          security: security.internal,
          querystring: listAuditQuery,
          response: { 200: listAuditPage, ...commonErrors },
        },
      },
      async (request) => listAudit(db, request.query),
    );
  },
  { name: 'txm-lists-routes', dependencies: ROUTE_DEPENDENCIES },
);
