import type { RiskProfile } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import { latestFlags } from '../flags/flags-repo';
import { latestSecurityEvents } from '../security-timeline/timeline-repo';
import { countCounterparties } from './counterparties-repo';
import { readProfile } from './profiles-repo';
import { summarizeRisk } from './risk-summary';

/**
 * What the monitor knows of an account: profile, counterparties, the latest 20 security events
 * and 10 flags. An account it has not seen gets an empty profile: "nothing known" is an answer.
 */
export async function readAccountRisk(db: Kysely<Database>, accountId: string): Promise<RiskProfile> {
  const [record, counterparties, events, flags] = await Promise.all([
    readProfile(db, accountId),
    countCounterparties(db, accountId),
    latestSecurityEvents(db, accountId, 20),
    latestFlags(db, accountId, 10),
  ]);
  return summarizeRisk(accountId, record, counterparties, events, flags);
}
