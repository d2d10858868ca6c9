import { caseView, errorBody, verificationMethod } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { toCaseView } from '../cases/case-view';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { type ActionRequest, freezeAccount, labelTransaction, unfreezeAccount, unlockAccount } from './account-actions';

const params = z.object({ id: z.uuid() });
const errors = { ...commonErrors, 404: errorBody, 409: errorBody, 503: errorBody };

const actionRequest = (request: FastifyRequest, caseId: string): ActionRequest => ({
  caseId,
  agent: agentOf(request),
  httpRequestId: request.id,
});

/**
 * Acting on the account from its case (auth's internal API; the monitor's feedback endpoint for
 * labels). Each action is refused before anything happens, or performed and on the case's
 * timeline: see `account-actions.ts`.
 */
export const accountActionRoutes = fp(
  async (app) => {
    const deps = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/cases/:id/actions/unlock-account',
      {
        schema: {
          tags: ['account actions'],
          summary: 'Unlock the account after checking the caller’s identity (refused on a frozen account)',
          security: security.agent,
          params,
          body: z
            .object({
              verification: z.object({
                method: verificationMethod,
                /** Where the proof is: a document check id, a call reference. */
                reference: z.string().trim().min(1).max(200),
              }),
              note: z.string().trim().max(2000).optional(),
            })
            .meta({
              examples: [
                {
                  verification: { method: 'video_call', reference: 'call-2026-11-23-0042' },
                  note: 'Customer showed their ID on a video call',
                },
              ],
            }),
          response: { 200: caseView, ...errors },
        },
      },
      async (request) => toCaseView(await unlockAccount(deps, actionRequest(request, request.params.id), request.body)),
    );

    routes.post(
      '/v1/cases/:id/actions/freeze-account',
      {
        schema: {
          tags: ['account actions'],
          summary: 'Freeze the account: every session ends and sign-in stops until a supervisor unfreezes it',
          security: security.agent,
          params,
          body: z.object({ reason: z.string().trim().min(1).max(500) }).meta({
            examples: [{ reason: 'Takeover pattern: new device, 2FA off, then a transfer to a new account' }],
          }),
          response: { 200: caseView, ...errors },
        },
      },
      async (request) =>
        toCaseView(await freezeAccount(deps, actionRequest(request, request.params.id), request.body.reason)),
    );

    routes.post(
      '/v1/cases/:id/actions/unfreeze-account',
      {
        schema: {
          tags: ['account actions'],
          summary: 'Unfreeze the account (supervisors only)',
          security: security.supervisor,
          params,
          body: z
            .object({ reason: z.string().trim().min(1).max(500) })
            .meta({ examples: [{ reason: 'Customer confirmed on the registered phone; new password set' }] }),
          response: { 200: caseView, ...errors },
        },
      },
      async (request) =>
        toCaseView(await unfreezeAccount(deps, actionRequest(request, request.params.id), request.body.reason)),
    );

    routes.post(
      '/v1/cases/:id/actions/label-transaction',
      {
        schema: {
          tags: ['account actions'],
          summary: 'Label a flagged transaction as fraud or legitimate (sent to the monitor for tuning)',
          description:
            "The flag must be one of the case's account (404 CASE_FLAG_NOT_FOUND otherwise, the same answer as for a " +
            'flag that does not exist); it is then attached to the case as evidence.',
          security: security.agent,
          params,
          body: z
            .object({ flagId: z.uuid(), label: z.enum(['fraud', 'legitimate']) })
            .meta({ examples: [{ flagId: '3f1c2a4e-8b7d-4e2f-9a61-5d0c7b8e9f10', label: 'fraud' }] }),
          response: { 200: caseView, ...errors },
        },
      },
      async (request) =>
        toCaseView(await labelTransaction(deps, actionRequest(request, request.params.id), request.body)),
    );
  },
  { name: 'cases-account-action-routes', dependencies: ROUTE_DEPENDENCIES },
);
