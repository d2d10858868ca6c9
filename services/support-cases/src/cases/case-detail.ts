import {
  CASE_MESSAGES_LIMIT,
  type CaseMessageView,
  type DeliveriesPage,
  type FlagPage,
  type InternalAccountView,
  type SecurityEventsPage,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ServiceRefusal, ServiceUnavailable } from '@wallet-guard/http';
import type { Kysely } from 'kysely';
import { caseErrors } from '../errors';
import type { AuthClient, MonitorClient, NotifierClient } from '../service-clients';
import type { CaseRecord } from './case-record';
import { type Evidence, getCase, listEvidence, listTimeline, type TimelineRow } from './cases-repo';

export interface CaseDetailDeps {
  db: Kysely<Database>;
  auth: AuthClient;
  monitor: MonitorClient;
  notifier: NotifierClient;
}

/** What another service told us for the agent's panel, or why it is missing. */
export type Live<T> = { available: true; data: T } | { available: false; error: string };

export interface CaseDetail {
  case: CaseRecord;
  timeline: TimelineRow[];
  evidence: Evidence[];
  account: Live<InternalAccountView>;
  securityEvents: Live<SecurityEventsPage>;
  flags: Live<FlagPage>;
  messages: Live<CaseMessageView[]>;
}

/**
 * A case with its timeline and evidence, and the account's status, recent security events, flags
 * and latest messages (deliveries) asked live of auth, the monitor and the notifier. 404
 * CASE_NOT_FOUND for an unknown case; a service that does not answer, fails, refuses or answers in
 * a shape we do not know is reported in its panel, never fatal.
 */
export async function getCaseDetail(deps: CaseDetailDeps, caseId: string, httpRequestId?: string): Promise<CaseDetail> {
  const { db, auth, monitor, notifier } = deps;
  const c = await getCase(db, caseId);
  if (!c) throw caseErrors.caseNotFound();
  const params = { id: c.accountId };
  const [timeline, evidence, account, securityEvents, flags, deliveries] = await Promise.all([
    listTimeline(db, c.id),
    listEvidence(db, c.id),
    auth.getAccount({ params, requestId: httpRequestId }).then((a) => live(auth.service, a)),
    auth
      .listSecurityEvents({ params, query: { limit: 20 }, requestId: httpRequestId })
      .then((a) => live(auth.service, a)),
    monitor
      .listFlags({ query: { accountId: c.accountId, limit: 20 }, requestId: httpRequestId })
      .then((a) => live(monitor.service, a)),
    // All of the account's messages, not only the case's: the unlock link belongs to no case.
    notifier
      .listDeliveries({ query: { accountId: c.accountId, limit: CASE_MESSAGES_LIMIT }, requestId: httpRequestId })
      .then((a) => live(notifier.service, a)),
  ]);
  const messages = deliveries.available
    ? { available: true as const, data: messagesOf(c.id, deliveries.data) }
    : deliveries;
  return { case: c, timeline, evidence, account, securityEvents, flags, messages };
}

/** The notifier's page as the case shows it: newest first, as the notifier sends it, this case's marked. */
function messagesOf(caseId: string, page: DeliveriesPage): CaseMessageView[] {
  return page.items.map((d) => ({ ...d, aboutThisCase: d.caseId === caseId }));
}

function live<T>(service: string, answer: { outcome: 'ok'; body: T } | ServiceRefusal | ServiceUnavailable): Live<T> {
  if (answer.outcome === 'ok') return { available: true, data: answer.body };
  if (answer.outcome === 'refused') return { available: false, error: `${service} answered ${answer.status}` };
  return { available: false, error: answer.message };
}
