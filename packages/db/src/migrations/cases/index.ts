import type { Migration } from 'kysely';
import * as cases from './20261124120000_cases';
import * as slaPauses from './20261129120000_cases_sla_pauses';
import * as unansweredActions from './20261129140000_cases_unanswered_actions';

/** Support cases: cases, their dedup keys, evidence, append-only timeline, agents. */
export const casesMigrations: Record<string, Migration> = {
  '20261124120000_cases': cases,
  '20261129120000_cases_sla_pauses': slaPauses,
  '20261129140000_cases_unanswered_actions': unansweredActions,
};
