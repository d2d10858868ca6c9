import type {
  BlockDestinationBody,
  ListAuditPage,
  ListAuditQuery,
  ListEntriesPage,
  ListEntriesQuery,
  ListEntry,
  ListEntryChangeDraft,
  ListEntryDraft,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ServiceRefusal, ServiceUnavailable } from '@wallet-guard/http';
import type { Kysely } from 'kysely';
import { type AgentActor, actorLabel } from '../cases/actor';
import { getCase } from '../cases/cases-repo';
import { caseErrors } from '../errors';
import { type MonitorClient, upstreamUnavailable } from '../service-clients';

/*
 * The monitor's managed lists for the console. Agents read them; supervisors change them (the
 * routes say so) and are recorded as the author (`agent:<name>`, as on the case timeline). The
 * monitor keeps the lists, their version and the audit trail; nothing is stored here.
 */

export interface ListsDeps {
  db: Kysely<Database>;
  monitor: MonitorClient;
}

/** Who asks, and the HTTP request it came in (forwarded, so both services' logs match). */
export interface ListsRequest {
  agent: AgentActor;
  httpRequestId?: string | undefined;
}

/**
 * The monitor's answer, or the error to answer with: its `TXM_LIST_*` refusals as `CASE_LIST_*`
 * (same status and details), a cursor it did not issue as `CASE_INVALID_CURSOR`, no usable answer
 * as 503 `CASE_UPSTREAM_UNAVAILABLE`.
 */
function answerOf<T>(service: string, answer: { outcome: 'ok'; body: T } | ServiceRefusal | ServiceUnavailable): T {
  if (answer.outcome === 'ok') return answer.body;
  if (answer.outcome === 'unavailable') throw upstreamUnavailable(answer);
  const code = answer.code ?? '';
  if (code === 'TXM_INVALID_CURSOR') throw caseErrors.invalidCursor();
  if (code.startsWith('TXM_LIST_') || code === 'TXM_VALIDATION_FAILED') {
    throw caseErrors.listRefused(
      answer.status,
      `CASE_${code.slice('TXM_'.length)}`,
      answer.error?.message ?? code,
      answer.error?.details,
    );
  }
  throw caseErrors.actionRejected(service, answer.code);
}

export async function listEntries(
  deps: ListsDeps,
  req: ListsRequest,
  query: ListEntriesQuery,
): Promise<ListEntriesPage> {
  const { includeRemoved, ...rest } = query;
  const answer = await deps.monitor.listEntries({
    query: { ...rest, ...(includeRemoved === undefined ? {} : { includeRemoved: includeRemoved ? 'true' : 'false' }) },
    requestId: req.httpRequestId,
  });
  return answerOf(deps.monitor.service, answer);
}

export async function listAudit(deps: ListsDeps, req: ListsRequest, query: ListAuditQuery): Promise<ListAuditPage> {
  return answerOf(deps.monitor.service, await deps.monitor.listAudit({ query, requestId: req.httpRequestId }));
}

export async function addEntry(deps: ListsDeps, req: ListsRequest, draft: ListEntryDraft): Promise<ListEntry> {
  const answer = await deps.monitor.addEntry({
    body: { ...draft, author: actorLabel(req.agent) },
    requestId: req.httpRequestId,
  });
  return answerOf(deps.monitor.service, answer);
}

export async function changeEntry(
  deps: ListsDeps,
  req: ListsRequest,
  id: string,
  change: ListEntryChangeDraft,
): Promise<ListEntry> {
  const answer = await deps.monitor.changeEntry({
    params: { id },
    body: { ...change, author: actorLabel(req.agent) },
    requestId: req.httpRequestId,
  });
  return answerOf(deps.monitor.service, answer);
}

export async function removeEntry(
  deps: ListsDeps,
  req: ListsRequest,
  id: string,
  reason: string | undefined,
): Promise<ListEntry> {
  const answer = await deps.monitor.removeEntry({
    params: { id },
    body: { author: actorLabel(req.agent), ...(reason === undefined ? {} : { reason }) },
    requestId: req.httpRequestId,
  });
  return answerOf(deps.monitor.service, answer);
}

/**
 * Adds the payee of a flag of the case's account to the block list, once the flag's latest label
 * is confirmed fraud: the offer the console makes after an agent labels a flag as fraud. The
 * reason names the case and the flag. Throws `CASE_NOT_FOUND`, `CASE_FLAG_NOT_FOUND` (unknown, or
 * another account's: the same answer), `CASE_FLAG_NOT_CONFIRMED_FRAUD`, `CASE_FLAG_HAS_NO_DESTINATION`,
 * `CASE_LIST_ENTRY_EXISTS` (already listed: `details[0].entryId`).
 */
export async function blockFlagDestination(
  deps: ListsDeps,
  req: ListsRequest,
  caseId: string,
  flagId: string,
  input: BlockDestinationBody,
): Promise<ListEntry> {
  const c = await getCase(deps.db, caseId);
  if (!c) throw caseErrors.caseNotFound();
  const flag = await deps.monitor.getFlag({ params: { id: flagId }, requestId: req.httpRequestId });
  if (
    (flag.outcome === 'refused' && flag.status === 404) ||
    (flag.outcome === 'ok' && flag.body.accountId !== c.accountId)
  ) {
    throw caseErrors.flagNotFound(flagId);
  }
  const { label, counterparty } = answerOf(deps.monitor.service, flag);
  if (label !== 'confirmed_fraud') throw caseErrors.flagNotConfirmedFraud(flagId);
  if (counterparty === null) throw caseErrors.flagHasNoDestination(flagId);
  const reason = `Confirmed fraud on case ${c.number}, flag ${flagId}${input.note ? `: ${input.note}` : ''}`;
  return addEntry(deps, req, {
    kind: 'counterparty',
    value: `${counterparty.kind}:${counterparty.id}`,
    action: 'block',
    reason,
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
  });
}
