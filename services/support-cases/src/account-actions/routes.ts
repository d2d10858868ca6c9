import { caseView, errorBody } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { actorLabel } from '../cases/actor';
import {
  type AccountAction,
  assertCanAct,
  beginAccountAction,
  completeAccountAction,
  failAccountAction,
} from '../cases/agent-actions';
import type { CaseRecord } from '../cases/case-record';
import { toCaseView } from '../cases/case-view';
import type { Evidence } from '../cases/cases-repo';
import { type UpstreamClient, type UpstreamResponse, upstreamErrorCode } from './upstream';

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
 * monitor's feedback endpoint for labels). No database transaction is held while another service
 * is called, so an action is done in steps, each its own transaction:
 *
 * 1. checks that only read (the case may be acted on; the account is not frozen; the flag is the
 *    account's): a refusal here changes nothing anywhere;
 * 2. `beginAccountAction`: the case becomes the agent's (a concurrent claim now fails) and the
 *    timeline records the request with its evidence; a claim that won the race refuses it here,
 *    still before the other service is asked;
 * 3. the other service acts;
 * 4. the outcome is recorded on the case whatever happened to it meanwhile: done
 *    (`completeAccountAction`), refused or unanswered (`failAccountAction`).
 *
 * So an action on an account is either refused before anything happens, or performed and on the
 * case's timeline, never performed and unrecorded.
 */
export function registerAccountActionRoutes(app: FastifyInstance, deps: AccountActionDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, bus, auth, monitor } = deps;

  const precheck = (caseId: string, request: Parameters<typeof agentOf>[0]) =>
    db.transaction().execute((trx) => assertCanAct(trx, caseId, agentOf(request)));

  const refusal = (service: string, status: number, body: unknown): AppError => {
    const code = upstreamErrorCode(body);
    if (status === 404)
      return new AppError(404, 'CASE_ACCOUNT_NOT_FOUND', `${service} does not know this account or flag`);
    return new AppError(409, 'CASE_ACTION_REJECTED', `${service} refused the action${code ? ` (${code})` : ''}`, {
      service,
      code,
    });
  };

  /** Steps 2 to 4 above, for an action `call` asks of `client`. */
  const perform = async (
    request: Parameters<typeof agentOf>[0],
    c: CaseRecord,
    client: UpstreamClient,
    asked: Omit<AccountAction, 'service'>,
    call: () => Promise<UpstreamResponse>,
    evidence: readonly Evidence[] = [],
  ) => {
    const agent = agentOf(request);
    const action: AccountAction = { ...asked, service: client.service };
    const { requestId } = await db.transaction().execute((trx) => beginAccountAction(trx, c.id, agent, action));
    bus.nudge();
    let result: UpstreamResponse;
    try {
      result = await call();
    } catch (error) {
      const code = error instanceof AppError ? error.code : undefined;
      await db
        .transaction()
        .execute((trx) => failAccountAction(trx, c.id, agent, action, requestId, { outcome: 'unknown', code }));
      throw error;
    }
    if (result.status >= 300) {
      const code = upstreamErrorCode(result.body);
      await db
        .transaction()
        .execute((trx) => failAccountAction(trx, c.id, agent, action, requestId, { outcome: 'refused', code }));
      throw refusal(client.service, result.status, result.body);
    }
    const done = await db
      .transaction()
      .execute((trx) => completeAccountAction(trx, c.id, agent, action, requestId, evidence));
    return toCaseView(done);
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
      if (account.status !== 200) throw refusal('auth', account.status, account.body);
      const status = (account.body as { status?: unknown } | null)?.status;
      // Without a status we cannot tell a frozen account from a locked one: unlocking blind could
      // lift what only a supervisor may lift, so nothing is asked of auth.
      if (typeof status !== 'string') {
        throw new AppError(503, 'CASE_UPSTREAM_UNAVAILABLE', 'auth answered without the account status', {
          service: 'auth',
        });
      }
      if (status === 'frozen') {
        throw new AppError(
          409,
          'CASE_ACCOUNT_FROZEN',
          'The account is frozen; a supervisor must unfreeze it, not unlock it',
        );
      }
      const { verification, note } = request.body;
      const action = {
        kind: 'account_unlocked',
        body: note ?? `Account unlocked after ${verification.method}`,
        data: { verification },
      };
      return perform(request, c, auth, action, () =>
        auth.request(
          'POST',
          `/internal/v1/accounts/${c.accountId}/unlock`,
          { actor: actorLabel(agentOf(request)), caseId: c.id, reason: `identity verified by ${verification.method}` },
          request.id,
        ),
      );
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
      const { reason } = request.body;
      return perform(request, c, auth, { kind: 'account_frozen', body: reason, data: {} }, () =>
        auth.request(
          'POST',
          `/internal/v1/accounts/${c.accountId}/freeze`,
          { actor: actorLabel(agentOf(request)), caseId: c.id, reason },
          request.id,
        ),
      );
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
      const { reason } = request.body;
      return perform(request, c, auth, { kind: 'account_unfrozen', body: reason, data: {} }, () =>
        auth.request(
          'POST',
          `/internal/v1/accounts/${c.accountId}/unfreeze`,
          { actor: actorLabel(agentOf(request)), caseId: c.id, reason },
          request.id,
        ),
      );
    },
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
      // A flag's account never changes, so checking it before labelling leaves no gap to race.
      const flag = await monitor.request('GET', `/v1/flags/${flagId}`, undefined, request.id);
      if (
        flag.status === 404 ||
        (flag.status === 200 && (flag.body as { accountId?: unknown } | null)?.accountId !== c.accountId)
      ) {
        throw new AppError(404, 'CASE_FLAG_NOT_FOUND', "No such flag on this case's account", { flagId });
      }
      if (flag.status !== 200) throw refusal('transaction-monitor', flag.status, flag.body);
      const action = {
        kind: 'transaction_labelled',
        body: `Flag ${flagId} labelled ${label}`,
        data: { flagId, label },
      };
      return perform(
        request,
        c,
        monitor,
        action,
        () =>
          monitor.request(
            'POST',
            `/v1/flags/${flagId}/feedback`,
            {
              label: label === 'fraud' ? 'confirmed_fraud' : 'false_positive',
              actor: actorLabel(agentOf(request)),
              caseId: c.id,
            },
            request.id,
          ),
        [{ kind: 'flag', ref: flagId }],
      );
    },
  );
}
