import type { MuleDestinationAccount, NetworkAccountView, NetworkCaseView } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

export interface NetworkIncident {
  incidentKey: string;
  destination: { kind: string; id: string };
  revision: number;
  incidentOpenedAt: Date;
  window: { hours: number; newPayers: number; newPayersWithSigns: number };
  received: { amountMinor: string; currency: string }[];
}

/** The revision a network case applied last, or null when it is no network case. */
export async function lockedRevision(trx: Transaction<Database>, caseId: string): Promise<number | null> {
  const row = await trx
    .selectFrom('case_network_incidents')
    .select('revision')
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  return row?.revision ?? null;
}

/** Records (or replaces with a later revision) the incident a network case is about. */
export async function saveIncident(
  trx: Transaction<Database>,
  caseId: string,
  incident: NetworkIncident,
  at: Date,
): Promise<void> {
  const values = {
    incident_key: incident.incidentKey,
    destination_kind: incident.destination.kind,
    destination_id: incident.destination.id,
    revision: incident.revision,
    incident_opened_at: incident.incidentOpenedAt,
    window_hours: incident.window.hours,
    new_payers: incident.window.newPayers,
    new_payers_with_signs: incident.window.newPayersWithSigns,
    received: JSON.stringify(incident.received),
    updated_at: at,
  };
  await trx
    .insertInto('case_network_incidents')
    .values({ case_id: caseId, ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
    .execute();
}

/**
 * Writes the accounts of an announcement in place (each as the latest announcement describes it)
 * and returns the ids the case did not list before.
 */
export async function saveAccounts(
  trx: Transaction<Database>,
  caseId: string,
  accounts: readonly MuleDestinationAccount[],
  at: Date,
): Promise<string[]> {
  if (accounts.length === 0) return [];
  const before = new Set(
    (
      await trx
        .selectFrom('case_network_accounts')
        .select('account_id')
        .where('case_id', '=', caseId)
        .where(
          'account_id',
          'in',
          accounts.map((a) => a.accountId),
        )
        .execute()
    ).map((r) => r.account_id),
  );
  await trx
    .insertInto('case_network_accounts')
    .values(
      accounts.map((a) => ({
        case_id: caseId,
        account_id: a.accountId,
        first_paid_at: new Date(a.firstPaidAt),
        last_paid_at: new Date(a.lastPaidAt),
        payments: a.payments,
        amounts: JSON.stringify(a.amounts),
        security_change_at: a.securityChangeAt ? new Date(a.securityChangeAt) : null,
        flagged_at: a.flaggedAt ? new Date(a.flaggedAt) : null,
        decision: a.decision === 'allow' ? null : a.decision,
        max_score: a.maxScore,
        flag_ids: JSON.stringify(a.flagIds),
        added_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['case_id', 'account_id']).doUpdateSet((eb) => ({
        first_paid_at: eb.ref('excluded.first_paid_at'),
        last_paid_at: eb.ref('excluded.last_paid_at'),
        payments: eb.ref('excluded.payments'),
        amounts: eb.ref('excluded.amounts'),
        security_change_at: eb.ref('excluded.security_change_at'),
        flagged_at: eb.ref('excluded.flagged_at'),
        decision: eb.ref('excluded.decision'),
        max_score: eb.ref('excluded.max_score'),
        flag_ids: eb.ref('excluded.flag_ids'),
      })),
    )
    .execute();
  return accounts.map((a) => a.accountId).filter((id) => !before.has(id));
}

/** Whether the case lists every one of `accountIds`; returns those it does not. */
export async function accountsNotListed(db: Db, caseId: string, accountIds: readonly string[]): Promise<string[]> {
  const listed = new Set(
    (
      await db
        .selectFrom('case_network_accounts')
        .select('account_id')
        .where('case_id', '=', caseId)
        .where('account_id', 'in', [...accountIds])
        .execute()
    ).map((r) => r.account_id),
  );
  return accountIds.filter((id) => !listed.has(id));
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The network view of a case, or undefined when it is no network case. */
export async function getNetworkCase(db: Db, caseId: string): Promise<NetworkCaseView | undefined> {
  const incident = await db
    .selectFrom('case_network_incidents')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!incident) return undefined;
  const rows = await db
    .selectFrom('case_network_accounts')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('first_paid_at')
    .orderBy('account_id')
    .execute();
  const accounts: NetworkAccountView[] = rows.map((r) => ({
    accountId: r.account_id,
    firstPaidAt: r.first_paid_at.toISOString(),
    lastPaidAt: r.last_paid_at.toISOString(),
    payments: r.payments,
    amounts: r.amounts,
    securityChangeAt: iso(r.security_change_at),
    flaggedAt: iso(r.flagged_at),
    decision: r.decision,
    maxScore: r.max_score,
    flagIds: r.flag_ids,
    addedAt: r.added_at.toISOString(),
  }));
  return {
    caseId,
    incidentKey: incident.incident_key,
    destination: {
      kind: incident.destination_kind as NetworkCaseView['destination']['kind'],
      id: incident.destination_id,
    },
    revision: incident.revision,
    incidentOpenedAt: incident.incident_opened_at.toISOString(),
    window: {
      hours: incident.window_hours,
      newPayers: incident.new_payers,
      newPayersWithSigns: incident.new_payers_with_signs,
    },
    received: incident.received,
    accounts,
    updatedAt: incident.updated_at.toISOString(),
  };
}
