import { agentView } from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { supportCasesOf } from '../application';
import type { AgentActor } from '../cases/actor';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { agentOf } from './agent-auth';
import { type AgentPreferences, agentPreferences, saveAgentPreferences } from './agents-repo';

/**
 * `PATCH /v1/agents/me`: the signed-in agent's own settings. Strict: an unknown field or a language
 * the console is not written in is refused with 400 CASE_VALIDATION_FAILED (nothing is saved).
 */
const agentSettings = z
  .object({
    /** The console's language for this agent, in every browser they sign in from (BCP 47). */
    locale: z.enum(SUPPORTED_LOCALES),
  })
  .strict()
  .meta({ examples: [{ locale: 'zh-CN' }] });

const viewOf = (agent: AgentActor, preferences: AgentPreferences) => ({
  name: agent.name,
  role: agent.role,
  ...preferences,
});

/**
 * Who am I, am I taking new cases (round-robin assignment only picks available agents), and in
 * which language does the console speak to me. Each route acts on the caller's own row only: the
 * agent is the token's subject, never a name from the request.
 */
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
        return viewOf(agent, await agentPreferences(db, agent.name));
      },
    );

    routes.patch(
      '/v1/agents/me',
      {
        schema: {
          tags: ['agents'],
          summary: "Change the signed-in agent's settings (the console's language)",
          description:
            'Remembered on the server, so the console speaks the chosen language in any browser the agent signs in ' +
            'from. 400 CASE_VALIDATION_FAILED for a language other than en or zh-CN, or any other field.',
          security: security.agent,
          body: agentSettings,
          response: { 200: agentView, ...commonErrors },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        return viewOf(agent, await saveAgentPreferences(db, agent, request.body, context.clock()));
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
        return viewOf(
          agent,
          await saveAgentPreferences(db, agent, { available: request.body.available }, context.clock()),
        );
      },
    );
  },
  { name: 'cases-agent-routes', dependencies: ROUTE_DEPENDENCIES },
);
