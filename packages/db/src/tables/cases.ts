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
  /** The calendar settings version the deadlines are computed with; null: before calendars (24/7). */
  sla_calendar_version: number | null;
  /**
   * The ended pauses: `[{ from, to, owedUntil }]` (ISO instants; `owedUntil` is where the first
   * response stopped being owed within the pause). Credited in the calendar of the priority.
   */
  sla_pauses: ColumnType<SlaPauseJson[], string | undefined, string>;
  first_response_breached: Generated<boolean>;
  resolution_breached: Generated<boolean>;
  resolved_at: Date | null;
  closed_at: Date | null;
  /** The case this duplicate was merged into (same account); set only on a closed case. */
  merged_into: string | null;
  /** When it was merged. */
  merged_at: Date | null;
  /** The SLA deadline that matters next (computed by the database); null once resolved. */
  next_due_at: ColumnType<Date | null, never, never>;
}

/** One ended pause of a case's SLA clocks, as stored in `cases.sla_pauses`. */
export interface SlaPauseJson {
  from: string;
  to: string;
  owedUntil: string;
}

/** Every saved version of the SLA calendar settings (append-only: a trigger refuses changes). */
export interface SlaCalendarVersionsTable {
  version: number;
  /** `{ calendars: { name: { timeZone, weeklyHours, holidays } }, priorities: { P1: name, ... } }`. */
  settings: JSONColumnType<Record<string, unknown>>;
  /** "system" or "agent:<name>". */
  changed_by: string;
  changed_at: Generated<Date>;
  note: string | null;
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
  /** The console language the agent chose ('en', 'zh-CN'); null until they choose one. */
  locale: string | null;
  updated_at: Generated<Date>;
}

/**
 * Every saved version of every macro (an agent's saved reply), append-only: a macro is its latest
 * version; a version with `deleted` removes it. The audit trail of the macros.
 */
export interface CaseMacroVersionsTable {
  macro_id: string;
  version: number;
  name: string;
  /** `{ "en": "...", "zh-CN": "..." }`: the reply per language, with `{{placeholder}}`s. */
  texts: JSONColumnType<Record<string, string>>;
  /** The status the macro moves the case to when sent ('open' or 'pending_customer'), or null. */
  set_status: string | null;
  /** The visibility of the note the macro is sent as: 'internal' or 'public'. */
  visibility: string;
  deleted: Generated<boolean>;
  /** "agent:<name>" (a supervisor). */
  changed_by: string;
  changed_at: Generated<Date>;
}

/**
 * The customer's rating of a resolved case: asked when it is resolved (until `expires_at`),
 * answered at most once (`rating` 1-5, `comment`, `answered_at`). `agent` is who resolved it.
 */
export interface CaseSatisfactionTable {
  case_id: string;
  case_type: string;
  account_id: string;
  agent: string | null;
  locale: string | null;
  requested_at: Date;
  expires_at: Date;
  rating: number | null;
  comment: string | null;
  answered_at: Date | null;
}

/** A network case's incident (`risk.mule-destination.v1`): the latest revision applied. */
export interface CaseNetworkIncidentsTable {
  case_id: string;
  /** The destination as `kind:id`. */
  incident_key: string;
  destination_kind: string;
  destination_id: string;
  revision: number;
  incident_opened_at: Date;
  window_hours: number;
  new_payers: number;
  new_payers_with_signs: number;
  /** `[{ amountMinor, currency }]` the listed accounts paid it. */
  received: JSONColumnType<{ amountMinor: string; currency: string }[]>;
  updated_at: Date;
}

/** One account a network case lists, as the latest announcement described it. */
export interface CaseNetworkAccountsTable {
  case_id: string;
  account_id: string;
  first_paid_at: Date;
  last_paid_at: Date;
  payments: number;
  amounts: JSONColumnType<{ amountMinor: string; currency: string }[]>;
  security_change_at: Date | null;
  flagged_at: Date | null;
  decision: 'review' | 'suspected_theft' | null;
  max_score: number;
  flag_ids: JSONColumnType<string[]>;
  /** When the case first listed it. */
  added_at: Date;
}

export interface CasesTables {
  cases: CasesTable;
  case_incident_keys: CaseIncidentKeysTable;
  case_network_incidents: CaseNetworkIncidentsTable;
  case_network_accounts: CaseNetworkAccountsTable;
  case_evidence: CaseEvidenceTable;
  case_timeline: CaseTimelineTable;
  agents: AgentsTable;
  sla_calendar_versions: SlaCalendarVersionsTable;
  case_macro_versions: CaseMacroVersionsTable;
  case_satisfaction: CaseSatisfactionTable;
}
