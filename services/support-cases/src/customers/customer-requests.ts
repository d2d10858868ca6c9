import { randomUUID } from 'node:crypto';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type EventBus } from '@wallet-guard/messaging';
import type { Kysely } from 'kysely';
import { CUSTOMER } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import { type CustomerCategory, caseNumber, customerIncident, theftJoins } from '../cases/case-rules';
import { appendTimeline } from '../cases/cases-repo';
import { recordIncident } from '../cases/incidents';
import { caseErrors } from '../errors';
import type { AuthClient, MonitorClient } from '../service-clients';

export interface CustomerRequestDeps {
  db: Kysely<Database>;
  bus: Pick<EventBus, 'nudge'>;
  context: CaseContext;
  auth: AuthClient;
  /** Knows the account of every transaction it flagged (to refuse another account's). */
  monitor: MonitorClient;
}

export interface CustomerRequest {
  accountId: string;
  category: CustomerCategory;
  message: string;
  transactionIds?: string[] | undefined;
  locale: string;
}

/**
 * A user asks for help through the wallet: the request opens its case (a theft report joins the
 * account's theft incident) and a theft report freezes the account at once. Transactions the
 * monitor flagged for another account are refused (400) before anything is opened. The freeze is
 * requested on the case in the transaction that opens it, and what auth did is recorded after, as
 * for an agent's action: never done and unrecorded. When auth does not answer, 503 with the case
 * id (a retry joins the same case).
 */
export async function openCustomerCase(
  deps: CustomerRequestDeps,
  request: CustomerRequest,
  httpRequestId?: string,
): Promise<{ case: CaseRecord; accountFrozen: boolean }> {
  const { db, bus, context, auth } = deps;
  const { accountId, category, message, transactionIds = [], locale } = request;
  const foreign = await foreignTransactions(deps.monitor, accountId, transactionIds, httpRequestId);
  if (foreign.length > 0) throw caseErrors.transactionsNotOfAccount(foreign);
  const theft = category === 'theft_report';
  const freeze = { action: 'account_frozen', service: auth.service };
  const { case: c, requestId } = await commitThenDeliver(db, bus, async (trx) => {
    const recorded = await recordIncident(trx, context, {
      kind: customerIncident(category, accountId, randomUUID()),
      accountId,
      joinKeys: theft ? theftJoins(accountId) : [],
      actor: CUSTOMER,
      detail: `The customer opened a ${category.replace('_', ' ')} request`,
      evidence: transactionIds.map((ref) => ({ kind: 'transaction' as const, ref })),
      locale,
      customerMessage: message,
      data: { category },
    });
    const [requested] = theft
      ? await appendTimeline(
          trx,
          recorded.case.id,
          [
            {
              actor: 'customer',
              kind: 'action_requested',
              body: 'Freeze the account at once on the customer’s theft report',
              data: freeze,
            },
          ],
          context.clock(),
        )
      : [];
    return { case: recorded.case, requestId: requested };
  });
  if (!theft || !requestId) return { case: c, accountFrozen: false };

  const answer = await auth.freezeAccount({
    params: { id: accountId },
    body: { actor: 'customer', by: 'user', caseId: c.id, reason: 'The customer reported theft' },
    requestId: httpRequestId,
  });
  const record = (entry: Parameters<typeof appendTimeline>[2][number]) =>
    db.transaction().execute((trx) => appendTimeline(trx, c.id, [entry], context.clock()));
  if (answer.outcome === 'unavailable') {
    await record({
      actor: 'system',
      kind: 'action_failed',
      body: 'Freezing the account failed: auth did not answer',
      data: { ...freeze, outcome: 'unknown', requestId },
    });
    throw caseErrors.upstreamUnavailable('The case is open but the account could not be frozen yet; retry', {
      caseId: c.id,
      cause: 'CASE_UPSTREAM_UNAVAILABLE',
    });
  }
  // What auth did (or refused) is on the case, like an agent's action: never done and unrecorded.
  if (answer.outcome === 'ok') {
    await record({
      actor: 'customer',
      kind: 'account_frozen',
      body: 'Frozen at once on the customer’s theft report',
      data: { requestId },
    });
    return { case: c, accountFrozen: true };
  }
  await record({
    actor: 'system',
    kind: 'action_failed',
    body: `Freezing the account failed: auth refused${answer.code ? ` (${answer.code})` : ''}`,
    data: { ...freeze, outcome: 'refused', code: answer.code, requestId },
  });
  if (answer.status === 404) throw caseErrors.accountNotFound('auth does not know this account');
  return { case: c, accountFrozen: false };
}

/**
 * The transaction ids a customer named that belong to another account, as far as the monitor
 * knows: every transaction it flagged names its account. A transaction it never flagged, or any
 * when it does not answer, cannot be checked here and is not refused: the wallet backend, which
 * signed the customer in, vouches for it. Never throws.
 */
async function foreignTransactions(
  monitor: MonitorClient,
  accountId: string,
  transactionIds: readonly string[],
  httpRequestId: string | undefined,
): Promise<string[]> {
  const owners = await Promise.all(
    [...new Set(transactionIds)].map(async (transactionId) => {
      const answer = await monitor.listFlags({ query: { transactionId, limit: 20 }, requestId: httpRequestId });
      const flags = answer.outcome === 'ok' ? answer.body.items : [];
      return { transactionId, foreign: flags.some((flag) => flag.accountId !== accountId) };
    }),
  );
  return owners.filter((o) => o.foreign).map((o) => o.transactionId);
}

/**
 * A user's latest cases (at most 50), newest first, with the public notes only. A case merged into
 * another is not listed: its survivor is, with the merged numbers (`mergedNumbers`) and its notes
 * (copied there by the merge), in the order they were written.
 */
export async function listCustomerCases(db: Kysely<Database>, accountId: string) {
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'number', 'type', 'status', 'opened_at', 'updated_at'])
    .where('account_id', '=', accountId)
    .where('merged_into', 'is', null)
    .orderBy('opened_at', 'desc')
    .limit(50)
    .execute();
  const notes =
    cases.length === 0
      ? []
      : await db
          .selectFrom('case_timeline')
          .select(['case_id', 'at', 'actor', 'body'])
          .where(
            'case_id',
            'in',
            cases.map((c) => c.id),
          )
          .where('visibility', '=', 'public')
          .where('kind', '=', 'note')
          .orderBy('at')
          .orderBy('id')
          .execute();
  const merged =
    cases.length === 0
      ? []
      : await db
          .selectFrom('cases')
          .select(['number', 'merged_into'])
          .where(
            'merged_into',
            'in',
            cases.map((c) => c.id),
          )
          .orderBy('number')
          .execute();
  return cases.map((c) => ({
    ...c,
    publicNotes: notes.filter((n) => n.case_id === c.id),
    mergedNumbers: merged.filter((m) => m.merged_into === c.id).map((m) => caseNumber(m.number)),
  }));
}
