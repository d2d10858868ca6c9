import { caseView, errorBody } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { actorLabel } from '../cases/actor';
import { assertCanAct, recordAccountAction } from '../cases/agent-actions';
import { toCaseView } from '../cases/case-view';
import { addEvidence } from '../cases/cases-repo';
import { type UpstreamClient, upstreamErrorCode } from './upstream';

export interface AccountActionDeps {
  db: Kysely<Database>;
  bus: EventBus;
  auth: UpstreamClient;
  monitor: UpstreamClient;
}

/** How the agent confirmed who they were talking to before unlocking. */
export const VERIFICATION_METHODS = [
  'id_document',
  'video_call',
  'callback_registered_phone',
  'security_questions',
  'in_app_confirmation',
] as const;

const params = z.object({ id: z.uuid() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const security = requires({ bearer: 'agent' });

/**
 * Acting on the account from its case, through the auth service's internal API (and the
 * monitor's feedback endpoint for labels). The case is checked first, the other service acts,
 * then the case records what was done, by whom and on what evidence. No database transaction is
 * held while another service is called.
 */
export function registerAccountActionRoutes(app: FastifyInstance, deps: AccountActionDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, bus, auth, monitor } = deps;

  const precheck = (caseId: string, request: Parameters<typeof agentOf>[0]) =>
    db.transaction().execute((trx) => assertCanAct(trx, caseId, agentOf(request)));

  const record = async (
    caseId: string,
    request: Parameters<typeof agentOf>[0],
    kind: string,
    body: string,
    data: Record<string, unknown>,
  ) => {
    const c = await db.transaction().execute(async (trx) => {
      const updated = await recordAccountAction(trx, caseId, agentOf(request), { kind, body, data });
      if (typeof data.flagId === 'string') await addEvidence(trx, caseId, [{ kind: 'flag', ref: data.flagId }]);
      return updated;
    });
    bus.nudge();
    return toCaseView(c);
  };

  const rejected = (service: string, status: number, body: unknown): never => {
    const code = upstreamErrorCode(body);
    if (status === 404)
      throw new AppError(404, 'CASE_ACCOUNT_NOT_FOUND', `${service} does not know this account or flag`);
    throw new AppError(409, 'CASE_ACTION_REJECTED', `${service} refused the action${code ? ` (${code})` : ''}`, {
      service,
      code,
    });
  };

  routes.post(
    '/v1/cases/:id/actions/unlock-account',
    {
      schema: {
        tags: ['account actions'],
        summary: 'Unlock the account after checking the caller’s identity (refused on a frozen account)',
        security,
        params,
        body: z
          .object({
            verification: z.object({
              method: z.enum(VERIFICATION_METHODS),
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
    async (request) => {
      const c = await precheck(request.params.id, request);
      const account = await auth.request('GET', `/internal/v1/accounts/${c.accountId}`, undefined, request.id);
      if (account.status !== 200) rejected('auth', account.status, account.body);
      if ((account.body as { status?: unknown }).status === 'frozen') {
        throw new AppError(
          409,
          'CASE_ACCOUNT_FROZEN',
          'The account is frozen; a supervisor must unfreeze it, not unlock it',
        );
      }
      const { verification, note } = request.body;
      const result = await auth.request(
        'POST',
        `/internal/v1/accounts/${c.accountId}/unlock`,
        { actor: actorLabel(agentOf(request)), caseId: c.id, reason: `identity verified by ${verification.method}` },
        request.id,
      );
      if (result.status >= 300) rejected('auth', result.status, result.body);
      return record(c.id, request, 'account_unlocked', note ?? `Account unlocked after ${verification.method}`, {
        verification,
      });
    },
  );

  routes.post(
    '/v1/cases/:id/actions/freeze-account',
    {
      schema: {
        tags: ['account actions'],
        summary: 'Freeze the account: every session ends and sign-in stops until a supervisor unfreezes it',
        security,
        params,
        body: z
          .object({ reason: z.string().trim().min(1).max(500) })
          .meta({ examples: [{ reason: 'Takeover pattern: new device, 2FA off, then a transfer to a new account' }] }),
        response: { 200: caseView, ...errors },
      },
    },
    async (request) => {
      const c = await precheck(request.params.id, request);
      const result = await auth.request(
        'POST',
        `/internal/v1/accounts/${c.accountId}/freeze`,
        { actor: actorLabel(agentOf(request)), caseId: c.id, reason: request.body.reason },
        request.id,
      );
      if (result.status >= 300) rejected('auth', result.status, result.body);
      return record(c.id, request, 'account_frozen', request.body.reason, {});
    },
  );

  routes.post(
    '/v1/cases/:id/actions/unfreeze-account',
    {
      schema: {
        tags: ['account actions'],
        summary: 'Unfreeze the account (supervisors only)',
        security: requires({ bearer: 'supervisor' }),
        params,
        body: z
          .object({ reason: z.string().trim().min(1).max(500) })
          .meta({ examples: [{ reason: 'Customer confirmed on the registered phone; new password set' }] }),
        response: { 200: caseView, ...errors },
      },
    },
    async (request) => {
      const c = await precheck(request.params.id, request);
      const result = await auth.request(
        'POST',
        `/internal/v1/accounts/${c.accountId}/unfreeze`,
        { actor: actorLabel(agentOf(request)), caseId: c.id, reason: request.body.reason },
        request.id,
      );
      if (result.status >= 300) rejected('auth', result.status, result.body);
      return record(c.id, request, 'account_unfrozen', request.body.reason, {});
    },
  );

  routes.post(
    '/v1/cases/:id/actions/label-transaction',
    {
      schema: {
        tags: ['account actions'],
        summary: 'Label a flagged transaction as fraud or legitimate (sent to the monitor for tuning)',
        security,
        params,
        body: z
          .object({ flagId: z.uuid(), label: z.enum(['fraud', 'legitimate']) })
          .meta({ examples: [{ flagId: '3f1c2a4e-8b7d-4e2f-9a61-5d0c7b8e9f10', label: 'fraud' }] }),
        response: { 200: caseView, ...errors },
      },
    },
    async (request) => {
      const c = await precheck(request.params.id, request);
      const { flagId, label } = request.body;
      const result = await monitor.request(
        'POST',
        `/v1/flags/${flagId}/feedback`,
        { label: label === 'fraud' ? 'confirmed_fraud' : 'false_positive', actor: actorLabel(agentOf(request)) },
        request.id,
      );
      if (result.status >= 300) rejected('transaction-monitor', result.status, result.body);
      return record(c.id, request, 'transaction_labelled', `Flag ${flagId} labelled ${label}`, { flagId, label });
    },
  );
}
