// The console's only way to the server: every call carries the agent's bearer token and every
// answer is checked against the same zod contracts the service answers with.
import {
  agentView,
  backtestReport,
  type CaseOutcome,
  caseDetailView,
  caseMergeView,
  casePage,
  caseView,
  deskReport,
  errorBody,
  freezeListedAccountsResult,
  type ListAction,
  type ListEntryChangeDraft,
  type ListEntryDraft,
  type ListKind,
  listAuditPage,
  listEntriesPage,
  listEntry,
  macroList,
  networkCaseView,
  type RulePerformanceQuery,
  renderedMacroView,
  rulePerformanceReport,
  type TimelineEntryView,
  type TransactionLabel,
  type VerificationMethod,
} from '@wallet-guard/contracts';
import type { SupportedLocale } from '@wallet-guard/i18n';
import type { z } from 'zod';
import {
  type CalendarSettingsChange,
  calendarSettingsView,
  calendarVersionList,
} from './business-hours/calendar-settings-view';

/** A refusal with its stable code: the service's (CASE_*) or the console's own (CONSOLE_*). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface QueueFilters {
  status: string;
  priority: string;
  type: string;
  /** "", "me" or "none". */
  assignee: string;
  queue: string;
}

/** The Lists page's filters ("" for any kind or action). */
export interface ListFilters {
  kind: ListKind | '';
  action: ListAction | '';
  includeRemoved: boolean;
}

export class CasesApi {
  constructor(private readonly token: string) {}

  private async call<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    schema: T,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<z.infer<T>> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'CONSOLE_OFFLINE', 'support-cases did not answer');
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const refusal = errorBody.safeParse(json);
      if (refusal.success) {
        const { code, message, details } = refusal.data.error;
        throw new ApiError(response.status, code, message, details);
      }
      throw new ApiError(response.status, 'CONSOLE_UNEXPECTED_ANSWER', `support-cases answered ${response.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(response.status, 'CONSOLE_UNEXPECTED_ANSWER', parsed.error.message);
    return parsed.data;
  }

  me = () => this.call('GET', '/v1/agents/me', agentView);
  /** Remembers the console language for this agent on the server (any browser they sign in from). */
  setLocale = (locale: SupportedLocale) => this.call('PATCH', '/v1/agents/me', agentView, { locale });

  listCases(filters: QueueFilters, signal?: AbortSignal) {
    const query = new URLSearchParams({ limit: '100' });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    return this.call('GET', `/v1/cases?${query}`, casePage, undefined, signal);
  }

  getCase = (id: string, signal?: AbortSignal) =>
    this.call('GET', `/v1/cases/${encodeURIComponent(id)}`, caseDetailView, undefined, signal);

  private act = (id: string, action: string, body: unknown = {}) =>
    this.call('POST', `/v1/cases/${encodeURIComponent(id)}/${action}`, caseView, body);

  claim = (id: string) => this.act(id, 'claim');
  /** With `macroId` (a macro rendered, then edited): the macro's status is applied too. */
  addNote = (id: string, body: string, visibility: TimelineEntryView['visibility'], macroId?: string) =>
    this.act(id, 'notes', { body, visibility, ...(macroId ? { macroId } : {}) });
  listMacros = (signal?: AbortSignal) => this.call('GET', '/v1/macros', macroList, undefined, signal);
  /** The macro written out for this case (its customer's language, placeholders filled in). */
  renderMacro = (id: string, macroId: string) =>
    this.call(
      'POST',
      `/v1/cases/${encodeURIComponent(id)}/macros/${encodeURIComponent(macroId)}/render`,
      renderedMacroView,
      {},
    );
  escalate = (id: string, reason: string) => this.act(id, 'escalate', { reason });
  resolve = (id: string, outcome: Exclude<CaseOutcome, 'self_unlocked'>, note: string) =>
    this.act(id, 'resolve', { outcome, note });
  reopen = (id: string, reason: string) => this.act(id, 'reopen', { reason });
  unlockAccount = (id: string, method: VerificationMethod, reference: string) =>
    this.act(id, 'actions/unlock-account', { verification: { method, reference } });
  freezeAccount = (id: string, reason: string) => this.act(id, 'actions/freeze-account', { reason });
  unfreezeAccount = (id: string, reason: string) => this.act(id, 'actions/unfreeze-account', { reason });
  labelTransaction = (id: string, flagId: string, label: TransactionLabel) =>
    this.act(id, 'actions/label-transaction', { flagId, label });
  /** A mule_destination case's destination and the accounts paying it. */
  getNetworkCase = (id: string, signal?: AbortSignal) =>
    this.call('GET', `/v1/cases/${encodeURIComponent(id)}/network`, networkCaseView, undefined, signal);
  /** Freezes accounts the network case lists; the answer says per account frozen or why not. */
  freezeListedAccounts = (id: string, accountIds: string[], reason: string) =>
    this.call(
      'POST',
      `/v1/cases/${encodeURIComponent(id)}/actions/freeze-listed-accounts`,
      freezeListedAccountsResult,
      { accountIds, reason },
    );

  /** The monitor's managed lists, newest entry first, with the lists version. */
  listEntries(filters: ListFilters, cursor: string | null = null) {
    const query = new URLSearchParams({ limit: '50' });
    if (filters.kind) query.set('kind', filters.kind);
    if (filters.action) query.set('action', filters.action);
    if (filters.includeRemoved) query.set('includeRemoved', 'true');
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/v1/lists/entries?${query}`, listEntriesPage);
  }
  /** The latest changes to the lists (who, when, before and after). */
  listAudit = () => this.call('GET', '/v1/lists/audit?limit=20', listAuditPage);
  /** Supervisors: the author recorded is the signed-in supervisor. */
  addListEntry = (draft: ListEntryDraft) => this.call('POST', '/v1/lists/entries', listEntry, draft);
  changeListEntry = (id: string, change: ListEntryChangeDraft) =>
    this.call('PATCH', `/v1/lists/entries/${encodeURIComponent(id)}`, listEntry, change);
  removeListEntry = (id: string, reason?: string) =>
    this.call('POST', `/v1/lists/entries/${encodeURIComponent(id)}/remove`, listEntry, reason ? { reason } : {});
  /** Supervisors: the payee of a flag labelled fraud on this case goes on the block list. */
  blockFlagDestination = (id: string, flagId: string) =>
    this.call(
      'POST',
      `/v1/cases/${encodeURIComponent(id)}/flags/${encodeURIComponent(flagId)}/block-destination`,
      listEntry,
      {},
    );

  /** The account's open cases (the merge form offers them as the survivor). */
  openCasesOfAccount = async (accountId: string, signal?: AbortSignal) => {
    const query = new URLSearchParams({ accountId, status: 'new,open,pending_customer,escalated', limit: '100' });
    return (await this.call('GET', `/v1/cases?${query}`, casePage, undefined, signal)).items;
  };
  merge = (id: string, intoCaseId: string, reason: string) =>
    this.call('POST', `/v1/cases/${encodeURIComponent(id)}/merge`, caseMergeView, { intoCaseId, reason });
  /** The desk report of `[from, to)` (ISO 8601), for supervisors. */
  deskReport = (period: { from: string; to: string }) =>
    this.call('GET', `/v1/reports/desk?${new URLSearchParams(period)}`, deskReport);
  /** Per rule hits, confirmed fraud, false positives and precision per day or week (supervisors). */
  rulePerformance = (query: RulePerformanceQuery, signal?: AbortSignal) =>
    this.call('GET', `/v1/rule-performance?${new URLSearchParams(query)}`, rulePerformanceReport, undefined, signal);
  /** Replays `[from, to]` through the candidate rules document in the monitor (supervisors). */
  runBacktest = (body: { rules: string; from: string; to: string }) =>
    this.call('POST', '/v1/rule-performance/backtests', backtestReport, body);
  /** The business-hours calendars in force and which one each priority counts in. */
  calendarSettings = (signal?: AbortSignal) =>
    this.call('GET', '/v1/sla/calendars', calendarSettingsView, undefined, signal);
  /**
   * Saves the next version (supervisors): 409 CASE_CALENDAR_VERSION_CONFLICT when someone saved
   * since `expectedVersion`, 422 CASE_CALENDAR_* when the settings cannot work.
   */
  saveCalendarSettings = (change: CalendarSettingsChange) =>
    this.call('PUT', '/v1/sla/calendars', calendarSettingsView, change);
  /** The saved versions, newest first (who changed the calendars, when and why). */
  calendarVersions = (signal?: AbortSignal) =>
    this.call('GET', '/v1/sla/calendars/versions?limit=20', calendarVersionList, undefined, signal);
  /** The same report as CSV text, fetched with the token (a plain link could not carry it). */
  deskReportCsv = async (period: { from: string; to: string }): Promise<string> => {
    const response = await fetch(`/v1/reports/desk.csv?${new URLSearchParams(period)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    }).catch(() => {
      throw new ApiError(0, 'CONSOLE_OFFLINE', 'support-cases did not answer');
    });
    if (response.ok) return response.text();
    const refusal = errorBody.safeParse(await response.json().catch(() => null));
    if (!refusal.success) {
      throw new ApiError(response.status, 'CONSOLE_UNEXPECTED_ANSWER', `support-cases answered ${response.status}`);
    }
    const { code, message, details } = refusal.data.error;
    throw new ApiError(response.status, code, message, details);
  };
}
