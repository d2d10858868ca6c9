import {
  errorBody,
  type FreezeListedAccountsResult,
  freezeListedAccountsRequest,
  freezeListedAccountsResult,
  networkCaseView,
} from '@wallet-guard/contracts';
import { AppError, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { freezeAccount } from '../account-actions/account-actions';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { getCase } from '../cases/cases-repo';
import { caseErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { accountsNotListed, getNetworkCase } from './network-cases-repo';

const params = z.object({ id: z.uuid() });
const errors = { ...commonErrors, 404: errorBody, 409: errorBody };

/**
 * A network case's accounts (GET) and freezing some of them from it (POST). Every account id
 * must be one the case lists: otherwise 404 CASE_ACCOUNT_NOT_IN_CASE and nothing is frozen.
 */
export const networkCaseRoutes = fp(
  async (app) => {
    const deps = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/cases/:id/network',
      {
        schema: {
          tags: ['cases'],
          summary:
            'The destination of a mule_destination case and the accounts paying it, with their flags and amounts',
          description: '404 CASE_NOT_FOUND for no case, CASE_NOT_NETWORK_CASE for a case that lists no accounts.',
          security: security.agent,
          params,
          response: { 200: networkCaseView, ...errors },
        },
      },
      async (request) => {
        const view = await getNetworkCase(deps.db, request.params.id);
        if (view) return view;
        if (!(await getCase(deps.db, request.params.id))) throw caseErrors.caseNotFound();
        throw caseErrors.notNetworkCase();
      },
    );

    routes.post(
      '/v1/cases/:id/actions/freeze-listed-accounts',
      {
        schema: {
          tags: ['account actions'],
          summary: 'Freeze accounts a network case lists, one after the other (each on the timeline)',
          description:
            'Every id must be listed on the case (404 CASE_ACCOUNT_NOT_IN_CASE, nothing frozen). Each account is then ' +
            'frozen through auth like the case account is (`freeze-account`); the answer says, per account, frozen ' +
            'or the stable code of why not. A case the agent may not act on is refused before any freeze (409/403).',
          security: security.agent,
          params,
          body: freezeListedAccountsRequest.meta({
            examples: [
              {
                accountIds: ['4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11'],
                reason: 'Drained into a mule destination after a new-device sign-in',
              },
            ],
          }),
          response: { 200: freezeListedAccountsResult, ...errors },
        },
      },
      async (request) => {
        const caseId = request.params.id;
        const accountIds = [...new Set(request.body.accountIds.map((id) => id.toLowerCase()))];
        if (!(await getNetworkCase(deps.db, caseId))) {
          if (!(await getCase(deps.db, caseId))) throw caseErrors.caseNotFound();
          throw caseErrors.notNetworkCase();
        }
        // A case only ever adds accounts: what it lists now it lists when the freeze happens.
        const missing = await accountsNotListed(deps.db, caseId, accountIds);
        if (missing.length > 0) throw caseErrors.accountsNotInCase(missing);
        const results: FreezeListedAccountsResult['results'] = [];
        const actionRequest = { caseId, agent: agentOf(request), httpRequestId: request.id };
        for (const accountId of accountIds) {
          try {
            await freezeAccount(deps, actionRequest, request.body.reason, accountId);
            results.push({ accountId, outcome: 'frozen' });
          } catch (error) {
            // The case itself refused (closed, held by another agent): nothing further can go.
            if (error instanceof AppError && results.length === 0 && isCaseRefusal(error.code)) throw error;
            if (!(error instanceof AppError)) throw error;
            results.push({ accountId, outcome: 'failed', code: error.code });
          }
        }
        return { results };
      },
    );
  },
  { name: 'cases-network-routes', dependencies: ROUTE_DEPENDENCIES },
);

const CASE_REFUSALS = new Set(['CASE_NOT_FOUND', 'CASE_CLOSED', 'CASE_ALREADY_CLAIMED', 'CASE_FORBIDDEN']);
const isCaseRefusal = (code: string) => CASE_REFUSALS.has(code);
