import { agentView } from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { supportCasesOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { agentOf } from './agent-auth';
import { agentAvailability, setAgentAvailability } from './agents-repo';

/** Who am I, and am I taking new cases (round-robin assignment only picks available agents). */
export const agentRoutes = fp(
  async (app) => {
    const { db, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/agents/me',
      {
        schema: {
          tags: ['agents'],
          summary: 'The signed-in agent',
          security: security.agent,
          response: { 200: agentView, 401: errorBody, 403: errorBody },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        return { name: agent.name, role: agent.role, available: await agentAvailability(db, agent.name) };
      },
    );

    routes.put(
      '/v1/agents/me/availability',
      {
        schema: {
          tags: ['agents'],
          summary: 'Start or stop receiving auto-assigned cases',
          security: security.agent,
          body: z.object({ available: z.boolean() }),
          response: { 200: agentView, ...commonErrors },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        await setAgentAvailability(db, agent, request.body.available, context.clock());
        return { name: agent.name, role: agent.role, available: request.body.available };
      },
    );
  },
  { name: 'cases-agent-routes', dependencies: ROUTE_DEPENDENCIES },
);
