import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES } from '@wallet-guard/contracts';
import type { QueueFilters } from '../api';
import { CASE_TYPE_WORDS, PRIORITY_WORDS, STATUS_WORDS } from '../words';

/** Cases still to work on: the queue's default. */
export const ACTIVE_STATUSES = 'new,open,pending_customer,escalated';

interface Props {
  filters: QueueFilters;
  supervisor: boolean;
  onChange: (filters: QueueFilters) => void;
}

export function QueueFiltersForm({ filters, supervisor, onChange }: Props) {
  const set = (key: keyof QueueFilters) => (e: { target: { value: string } }) =>
    onChange({ ...filters, [key]: e.target.value });
  return (
    <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select value={filters.status} onChange={set('status')}>
          <option value={ACTIVE_STATUSES}>Active (not resolved)</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
          <option value="">Any status</option>
        </select>
      </label>
      <label>
        Priority
        <select value={filters.priority} onChange={set('priority')}>
          <option value="">Any priority</option>
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_WORDS[p]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <select value={filters.type} onChange={set('type')}>
          <option value="">Any type</option>
          {CASE_TYPES.map((t) => (
            <option key={t} value={t}>
              {CASE_TYPE_WORDS[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assigned
        <select value={filters.assignee} onChange={set('assignee')}>
          <option value="">Anyone</option>
          <option value="me">Mine</option>
          <option value="none">Unassigned</option>
        </select>
      </label>
      {supervisor && (
        <label>
          Queue
          <select value={filters.queue} onChange={set('queue')}>
            <option value="">Both queues</option>
            <option value="agents">Agents</option>
            <option value="supervisors">Supervisors (escalated)</option>
          </select>
        </label>
      )}
    </form>
  );
}
