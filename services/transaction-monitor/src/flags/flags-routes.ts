import { flagDetail, flagFeedback, flagFeedbackBody, flagListQuery, flagPage } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-kit';
import { addFeedback, getFlagDetail, InvalidCursorError, listFlags } from './flags-repo';

const flagParams = z.object({ id: z.uuid() });
const notFound = (id: string) => new AppError(404, 'TXM_FLAG_NOT_FOUND', `No flag ${id}`);

/**
 * Flags for support-cases and agents (scope internal: they name accounts and amounts, which the
 * wallet backend's key has no business listing).
 */
export const flagsRoutes = fp<{ db: Kysely<Database> }>(
  async (app, { db }) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/flags',
      {
        schema: {
          tags: ['flags'],
          summary: 'List flags, newest first',
          security: security.internal,
          querystring: flagListQuery,
          response: { 200: flagPage, ...commonErrors },
        },
      },
      async (request) => {
        try {
          return await listFlags(db, request.query);
        } catch (error) {
          if (error instanceof InvalidCursorError) {
            throw new AppError(400, 'TXM_INVALID_CURSOR', error.message, [
              { in: 'querystring', path: '/cursor', message: 'must be a nextCursor this service issued' },
            ]);
          }
          throw error;
        }
      },
    );

    routes.get(
      '/v1/flags/:id',
      {
        schema: {
          tags: ['flags'],
          summary: 'One flag with its reasons and every label agents gave it',
          security: security.internal,
          params: flagParams,
          response: { 200: flagDetail, ...commonErrors, 404: errorBody },
        },
      },
      async (request) => {
        const flag = await getFlagDetail(db, request.params.id);
        if (!flag) throw notFound(request.params.id);
        return flag;
      },
    );

    routes.post(
      '/v1/flags/:id/feedback',
      {
        schema: {
          tags: ['flags'],
          summary: "Record an agent's label on a flag (kept to tune the rules)",
          description: "Labels accumulate; the latest is the flag's `label`.",
          security: security.internal,
          params: flagParams,
          body: flagFeedbackBody,
          response: { 201: flagFeedback, ...commonErrors, 404: errorBody },
        },
      },
      async (request, reply) => {
        const feedback = await addFeedback(db, request.params.id, request.body);
        if (!feedback) throw notFound(request.params.id);
        return reply.status(201).send(feedback);
      },
    );
  },
  { name: 'txm-flags-routes', dependencies: ROUTE_DEPENDENCIES },
);
