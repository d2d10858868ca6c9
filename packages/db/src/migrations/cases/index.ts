import type { Migration } from 'kysely';
import * as cases from './20261124120000_cases';

/** Support cases: cases, their dedup keys, evidence, append-only timeline, agents. */
export const casesMigrations: Record<string, Migration> = {
  '20261124120000_cases': cases,
};
