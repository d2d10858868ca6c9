import type { Database } from '@wallet-guard/db';
import type { SupportedLocale } from '@wallet-guard/i18n';
import type { Kysely } from 'kysely';
import type { AgentActor } from '../cases/actor';

/** What the service keeps about an agent: their settings, not their identity (the token carries that). */
export interface AgentPreferences {
  /** Takes auto-assigned cases (round-robin only picks available agents). */
  available: boolean;
  /** The console language they chose; null until they choose one. */
  locale: SupportedLocale | null;
}

/** An agent never seen yet takes no auto-assigned cases and has chosen no language. */
const NEVER_SEEN: AgentPreferences = { available: false, locale: null };

/** The agent's preferences (defaults for an agent never seen). */
export async function agentPreferences(db: Kysely<Database>, name: string): Promise<AgentPreferences> {
  const row = await db.selectFrom('agents').select(['available', 'locale']).where('name', '=', name).executeTakeFirst();
  // The column's check constraint admits only the supported locales.
  return row ? { available: row.available, locale: row.locale as SupportedLocale | null } : NEVER_SEEN;
}

/**
 * Records the agent (with the role of their token) and the preferences given in `changes`, `at` the
 * clock's time, leaving the others as they were; one atomic upsert, so two tabs saving at once
 * cannot lose either change. Resolves to the preferences now stored.
 */
export async function saveAgentPreferences(
  db: Kysely<Database>,
  agent: AgentActor,
  changes: Partial<AgentPreferences>,
  at: Date,
): Promise<AgentPreferences> {
  const row = await db
    .insertInto('agents')
    .values({ name: agent.name, role: agent.role, ...changes, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ role: agent.role, ...changes, updated_at: at }))
    .returning(['available', 'locale'])
    .executeTakeFirstOrThrow();
  return { available: row.available, locale: row.locale as SupportedLocale | null };
}
