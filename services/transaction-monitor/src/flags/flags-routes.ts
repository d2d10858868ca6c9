import { flagDetail, flagFeedback, flagFeedbackBody, flagListQuery, flagPage } from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { monitorOf } from '../application';
import { monitorErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { addFeedback, getFlagDetail, listFlags } from './flags-repo';

const flagParams = z.object({ id: z.uuid() });

/**
 * Flags for support-cases and agents (scope internal: they name accounts and amounts, which the
 * wallet backend's key has no business listing).
 */
export const flagsRoutes = fp(
  async (app) => {
    const { db } = monitorOf(app);
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
      async (request) => listFlags(db, request.query),
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
        if (!flag) throw monitorErrors.flagNotFound(request.params.id);
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
        if (!feedback) throw monitorErrors.flagNotFound(request.params.id);
        return reply.status(201).send(feedback);
      },
    );
  },
  { name: 'txm-flags-routes', dependencies: ROUTE_DEPENDENCIES },
);
