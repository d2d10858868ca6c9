import type { VerificationMethod } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ServiceRefusal, ServiceUnavailable } from '@wallet-guard/http';
import { commitThenDeliver, type EventBus } from '@wallet-guard/messaging';
import type { Kysely } from 'kysely';
import {
  type AccountAction,
  assertCanAct,
  beginAccountAction,
  completeAccountAction,
  failAccountAction,
} from '../cases/account-action-steps';
import { type AgentActor, actorLabel } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import type { Evidence } from '../cases/cases-repo';
import { caseErrors } from '../errors';
import { type AuthClient, type MonitorClient, upstreamUnavailable } from '../service-clients';

export interface AccountActionDeps {
  db: Kysely<Database>;
  bus: Pick<EventBus, 'nudge'>;
  context: CaseContext;
  auth: AuthClient;
  monitor: MonitorClient;
}

/** Who acts on which case, and the HTTP request it came in (forwarded, so the services' logs match). */
export interface ActionRequest {
  caseId: string;
  agent: AgentActor;
  httpRequestId?: string | undefined;
}

export interface Verification {
  /** How the agent confirmed who they were talking to (the contracts' `VERIFICATION_METHODS`). */
  method: VerificationMethod;
  /** Where the proof is: a document check id, a call reference. */
  reference: string;
}

/*
 * Acting on the account from its case, through auth's internal API (and the monitor's feedback
 * endpoint for labels). No database transaction is held while another service is called, so an
 * action is done in steps, each its own transaction:
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

/** Unlocks the account after the agent checked the caller's identity; refused on a frozen account. */
export async function unlockAccount(
  deps: AccountActionDeps,
  request: ActionRequest,
  input: { verification: Verification; note?: string | undefined },
): Promise<CaseRecord> {
  const c = await assertActionable(deps, request);
  const account = await deps.auth.getAccount({ params: { id: c.accountId }, requestId: request.httpRequestId });
  // An answer without the account's status (any shape the contract does not know) is no answer:
  // unlocking blind could lift a freeze only a supervisor may lift, so nothing is asked of auth.
  if (account.outcome === 'unavailable') throw upstreamUnavailable(account);
  if (account.outcome === 'refused') throw refusal(deps.auth.service, account);
  if (account.body.status === 'frozen') throw caseErrors.accountFrozen();
  const { verification, note } = input;
  const action = {
    kind: 'account_unlocked',
    service: deps.auth.service,
    body: note ?? `Account unlocked after ${verification.method}`,
    data: { verification },
  };
  return perform(deps, request, action, () =>
    deps.auth.unlockAccount({
      params: { id: c.accountId },
      body: { actor: actorLabel(request.agent), caseId: c.id, reason: `identity verified by ${verification.method}` },
      requestId: request.httpRequestId,
    }),
  );
}

/**
 * Freezes the account: every session ends and sign-in stops until a supervisor unfreezes it.
 * `accountId`: another account than the case's, which the caller checked the case lists (a
 * network case's accounts, see `network-cases/`); recorded on the timeline entry.
 */
export async function freezeAccount(
  deps: AccountActionDeps,
  request: ActionRequest,
  reason: string,
  accountId?: string,
) {
  const c = await assertActionable(deps, request);
  const target = accountId ?? c.accountId;
  const action = {
    kind: 'account_frozen',
    service: deps.auth.service,
    body: reason,
    data: accountId === undefined ? {} : { accountId },
  };
  return perform(deps, request, action, () =>
    deps.auth.freezeAccount({
      params: { id: target },
      body: { actor: actorLabel(request.agent), caseId: c.id, reason },
      requestId: request.httpRequestId,
    }),
  );
}

/** Unfreezes the account (the route lets supervisors only). */
export async function unfreezeAccount(deps: AccountActionDeps, request: ActionRequest, reason: string) {
  const c = await assertActionable(deps, request);
  const action = { kind: 'account_unfrozen', service: deps.auth.service, body: reason, data: {} };
  return perform(deps, request, action, () =>
    deps.auth.unfreezeAccount({
      params: { id: c.accountId },
      body: { actor: actorLabel(request.agent), caseId: c.id, reason },
      requestId: request.httpRequestId,
    }),
  );
}

/**
 * Sends the agent's label of a flag to the monitor. The flag must be one of the case's account:
 * another account's flag is 404 CASE_FLAG_NOT_FOUND, the same answer as for an unknown one. Once
 * labelled, the flag is evidence of the case.
 */
export async function labelTransaction(
  deps: AccountActionDeps,
  request: ActionRequest,
  input: { flagId: string; label: 'fraud' | 'legitimate' },
): Promise<CaseRecord> {
  const c = await assertActionable(deps, request);
  const { flagId, label } = input;
  // A flag's account never changes, so checking it before labelling leaves no gap to race.
  const flag = await deps.monitor.getFlag({ params: { id: flagId }, requestId: request.httpRequestId });
  if (
    (flag.outcome === 'refused' && flag.status === 404) ||
    (flag.outcome === 'ok' && flag.body.accountId !== c.accountId)
  ) {
    throw caseErrors.flagNotFound(flagId);
  }
  if (flag.outcome === 'refused') throw refusal(deps.monitor.service, flag);
  if (flag.outcome === 'unavailable') throw upstreamUnavailable(flag);
  const action = {
    kind: 'transaction_labelled',
    service: deps.monitor.service,
    body: `Flag ${flagId} labelled ${label}`,
    data: { flagId, label },
  };
  return perform(
    deps,
    request,
    action,
    () =>
      deps.monitor.addFlagFeedback({
        params: { id: flagId },
        body: {
          label: label === 'fraud' ? 'confirmed_fraud' : 'false_positive',
          actor: actorLabel(request.agent),
          caseId: c.id,
        },
        requestId: request.httpRequestId,
      }),
    [{ kind: 'flag', ref: flagId }],
  );
}

/** Step 1's common part: the agent may act on this case now (nothing changes). */
function assertActionable({ db }: AccountActionDeps, request: ActionRequest): Promise<CaseRecord> {
  return db.transaction().execute((trx) => assertCanAct(trx, request.caseId, request.agent));
}

/** What the other service answered, as far as the outcome on the case goes. */
type CallAnswer = { outcome: 'ok' } | ServiceRefusal | ServiceUnavailable;

/** Steps 2 to 4, for the action `call` asks of the other service. */
async function perform(
  { db, bus, context }: AccountActionDeps,
  request: ActionRequest,
  action: AccountAction,
  call: () => Promise<CallAnswer>,
  evidence: readonly Evidence[] = [],
): Promise<CaseRecord> {
  const { caseId, agent } = request;
  const { requestId } = await commitThenDeliver(db, bus, (trx) =>
    beginAccountAction(trx, context, caseId, agent, action),
  );
  const answer = await call();
  if (answer.outcome === 'unavailable') {
    const error = upstreamUnavailable(answer);
    await db
      .transaction()
      .execute((trx) =>
        failAccountAction(trx, context, caseId, agent, action, requestId, { outcome: 'unknown', code: error.code }),
      );
    throw error;
  }
  if (answer.outcome === 'refused') {
    await db
      .transaction()
      .execute((trx) =>
        failAccountAction(trx, context, caseId, agent, action, requestId, { outcome: 'refused', code: answer.code }),
      );
    throw refusal(action.service, answer);
  }
  return db
    .transaction()
    .execute((trx) => completeAccountAction(trx, context, caseId, agent, action, requestId, evidence));
}

/** The other service said no: it does not know the account or flag (404), or refused the action. */
function refusal(service: string, answer: ServiceRefusal) {
  if (answer.status === 404) return caseErrors.accountNotFound(`${service} does not know this account or flag`);
  return caseErrors.actionRejected(service, answer.code);
}
