// The console's only way to the server: every call carries the agent's bearer token and every
// answer is checked against the same zod contracts the service answers with.
import {
  agentView,
  type CaseOutcome,
  caseDetailView,
  casePage,
  caseView,
  errorBody,
  type TimelineEntryView,
  type TransactionLabel,
  type VerificationMethod,
} from '@wallet-guard/contracts';
import type { z } from 'zod';

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

export class CasesApi {
  constructor(private readonly token: string) {}

  private async call<T extends z.ZodType>(
    method: 'GET' | 'POST',
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
  addNote = (id: string, body: string, visibility: TimelineEntryView['visibility']) =>
    this.act(id, 'notes', { body, visibility });
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
}
