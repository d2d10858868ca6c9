import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import type { AgentActor } from '../cases/actor';

/** Whether the agent takes auto-assigned cases; an agent never seen yet does not. */
export async function agentAvailability(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db.selectFrom('agents').select('available').where('name', '=', name).executeTakeFirst();
  return row?.available ?? false;
}

/** Records the agent (with the role of their token) and whether they take new cases, `at` the clock's time. */
export async function setAgentAvailability(
  db: Kysely<Database>,
  agent: AgentActor,
  available: boolean,
  at: Date,
): Promise<void> {
  await db
    .insertInto('agents')
    .values({ name: agent.name, role: agent.role, available, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ role: agent.role, available, updated_at: at }))
    .execute();
}
