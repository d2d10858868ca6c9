import type { Database } from '@wallet-guard/db';
import { sql, type Transaction } from 'kysely';
import type { AssignmentPolicy } from './case-context';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { appendTimeline, updateCase } from './cases-repo';

/**
 * Round robin: the available agent (role agent) who was assigned longest ago and holds fewer
 * open cases than the cap. Returns the assigned case, or undefined when nobody can take it
 * (it stays in the queue for anyone to claim).
 */
export async function assignNextAgent(
  trx: Transaction<Database>,
  c: CaseRecord,
  policy: AssignmentPolicy,
  now: Date,
): Promise<CaseRecord | undefined> {
  const candidate = await trx
    .selectFrom('agents')
    .select('name')
    .where('available', '=', true)
    .where('role', '=', 'agent')
    .where(
      sql<boolean>`(select count(*) from cases c where c.assignee = agents.name and c.status not in ('resolved', 'closed')) < ${policy.maxOpenPerAgent}`,
    )
    .orderBy((eb) => eb.fn.coalesce('last_assigned_at', eb.val(new Date(0))))
    .orderBy('name')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!candidate) return undefined;
  await trx.updateTable('agents').set({ last_assigned_at: now }).where('name', '=', candidate.name).execute();
  const assigned = await updateCase(trx, c.id, { assignee: candidate.name }, now);
  await appendTimeline(
    trx,
    c.id,
    [{ actor: 'system', kind: 'assigned', oldValue: null, newValue: candidate.name, body: 'Assigned by round robin' }],
    now,
  );
  await publishCaseEvent(trx, 'case.updated', assigned, {
    changes: [{ field: 'assignee', from: null, to: candidate.name }],
  });
  return assigned;
}
