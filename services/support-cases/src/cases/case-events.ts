import { type CaseEvent, createEvent, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { enqueueEvents } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { CaseRecord } from './case-record';

export const CASES_PRODUCER = 'support-cases';

type Extra<T extends CaseEvent['type']> = Omit<
  Extract<CaseEvent, { type: T }>['payload'],
  'caseId' | 'caseNumber' | 'caseType' | 'status' | 'priority' | 'locale'
>;

/**
 * Announces a case change on support.case-events.v1 (through the outbox, so it is sent if and
 * only if the change commits). Internal notes never travel here.
 */
export async function publishCaseEvent<T extends CaseEvent['type']>(
  trx: Transaction<Database>,
  type: T,
  c: CaseRecord,
  extra: Extra<T>,
): Promise<void> {
  const event = createEvent(TOPICS.caseEvents, {
    type,
    version: 1,
    producer: CASES_PRODUCER,
    accountId: c.accountId,
    payload: {
      caseId: c.id,
      caseNumber: c.number,
      caseType: c.type,
      status: c.status,
      priority: c.priority,
      ...(c.locale ? { locale: c.locale } : {}),
      ...extra,
    },
  } as Parameters<typeof createEvent<typeof TOPICS.caseEvents>>[1]);
  await enqueueEvents(trx, CASES_PRODUCER, [{ topic: TOPICS.caseEvents, event }]);
}
