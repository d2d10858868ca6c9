import type { Migration } from 'kysely';
import * as cases from './20261124120000_cases';
import * as businessCalendars from './20261129120000_business_calendars';
import * as slaPauses from './20261129120000_cases_sla_pauses';
import * as agentLocale from './20261129130000_agent_locale';
import * as unansweredActions from './20261129140000_cases_unanswered_actions';
import * as satisfactionMacros from './20261129140000_satisfaction_macros';
import * as caseMergeReports from './20261129150000_case_merge_reports';
import * as networkCases from './20261130130000_cases_network_cases';

/** Support cases: cases, their dedup keys, evidence, append-only timeline, agents. */
export const casesMigrations: Record<string, Migration> = {
  '20261124120000_cases': cases,
  '20261129120000_business_calendars': businessCalendars,
  '20261129120000_cases_sla_pauses': slaPauses,
  '20261129130000_agent_locale': agentLocale,
  '20261129140000_cases_unanswered_actions': unansweredActions,
  '20261129140000_satisfaction_macros': satisfactionMacros,
  '20261129150000_case_merge_reports': caseMergeReports,
  '20261130130000_cases_network_cases': networkCases,
};
