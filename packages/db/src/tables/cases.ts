import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** A jsonb column of any JSON value: written as a JSON string, read parsed. */
type JsonValue = ColumnType<unknown, string | null, string | null>;

/** One incident an agent works: opened by an event or a customer, closed with an outcome. */
export interface CasesTable {
  id: string;
  /** Human-friendly number, shown as CASE-000123. */
  number: Generated<string>;
  type: string;
  priority: string;
  status: string;
  account_id: string;
  /** 'agents' or 'supervisors' (escalated cases). */
  queue: Generated<string>;
  assignee: string | null;
  occurrence_count: Generated<number>;
  outcome: string | null;
  locale: string | null;
  summary: string;
  opened_at: Generated<Date>;
  updated_at: Generated<Date>;
  first_response_due_at: Date;
  resolution_due_at: Date;
  first_responded_at: Date | null;
  /** Set while the case waits for the customer: the SLA clocks stand still. */
  sla_paused_at: Date | null;
  /** Milliseconds the SLA clocks stood still in all (bigint, read as a string). */
  sla_paused_ms: ColumnType<string, string | number | undefined, string | number>;
  /** Of those, the milliseconds while the first response was still owed. */
  first_response_paused_ms: ColumnType<string, string | number | undefined, string | number>;
  first_response_breached: Generated<boolean>;
  resolution_breached: Generated<boolean>;
  resolved_at: Date | null;
  closed_at: Date | null;
  /** The SLA deadline that matters next (computed by the database); null once resolved. */
  next_due_at: ColumnType<Date | null, never, never>;
}

/** Dedup keys ("lockout:{accountId}"): at most one open case holds a key (partial unique index). */
export interface CaseIncidentKeysTable {
  incident_key: string;
  case_id: string;
  open: Generated<boolean>;
  added_at: Generated<Date>;
}

/** What a case links to: security event ids, flag ids, transaction ids, other cases. */
export interface CaseEvidenceTable {
  case_id: string;
  kind: 'security_event' | 'flag' | 'transaction' | 'case';
  ref: string;
  added_at: Generated<Date>;
}

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE): who did what, when, from what to what. */
export interface CaseTimelineTable {
  id: Generated<string>;
  case_id: string;
  at: Generated<Date>;
  /** "system", "agent:<name>", "customer". */
  actor: string;
  kind: string;
  visibility: Generated<'internal' | 'public'>;
  old_value: JsonValue;
  new_value: JsonValue;
  body: string | null;
  data: JSONColumnType<Record<string, unknown>>;
}

/** Agents seen by the service, with availability for round-robin assignment. */
export interface AgentsTable {
  name: string;
  role: string;
  available: Generated<boolean>;
  last_assigned_at: Date | null;
  updated_at: Generated<Date>;
}

export interface CasesTables {
  cases: CasesTable;
  case_incident_keys: CaseIncidentKeysTable;
  case_evidence: CaseEvidenceTable;
  case_timeline: CaseTimelineTable;
  agents: AgentsTable;
}
