import { errorBody } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentOf } from './agent-auth';

const agentView = z.object({ name: z.string(), role: z.enum(['agent', 'supervisor']), available: z.boolean() });

/** Who am I, and am I taking new cases (round-robin assignment only picks available agents). */
export function registerAgentRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const security = requires({ bearer: 'agent' });

  routes.get(
    '/v1/agents/me',
    {
      schema: {
        tags: ['agents'],
        summary: 'The signed-in agent',
        security,
        response: { 200: agentView, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const agent = agentOf(request);
      const row = await db.selectFrom('agents').select('available').where('name', '=', agent.name).executeTakeFirst();
      return { name: agent.name, role: agent.role, available: row?.available ?? false };
    },
  );

  routes.put(
    '/v1/agents/me/availability',
    {
      schema: {
        tags: ['agents'],
        summary: 'Start or stop receiving auto-assigned cases',
        security,
        body: z.object({ available: z.boolean() }),
        response: { 200: agentView, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const agent = agentOf(request);
      await db
        .insertInto('agents')
        .values({ name: agent.name, role: agent.role, available: request.body.available })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ role: agent.role, available: request.body.available, updated_at: new Date() }),
        )
        .execute();
      return { name: agent.name, role: agent.role, available: request.body.available };
    },
  );
}
