import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES } from '@wallet-guard/contracts';
import type { QueueFilters } from '../api';
import { useWords } from '../i18n/use-words';

/** Cases still to work on: the queue's default. */
export const ACTIVE_STATUSES = 'new,open,pending_customer,escalated';

interface Props {
  filters: QueueFilters;
  supervisor: boolean;
  onChange: (filters: QueueFilters) => void;
}

export function QueueFiltersForm({ filters, supervisor, onChange }: Props) {
  const { t } = useWords();
  const set = (key: keyof QueueFilters) => (e: { target: { value: string } }) =>
    onChange({ ...filters, [key]: e.target.value });
  return (
    <form className="filters" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('filters.status')}
        <select value={filters.status} onChange={set('status')}>
          <option value={ACTIVE_STATUSES}>{t('filters.active')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
          <option value="">{t('filters.anyStatus')}</option>
        </select>
      </label>
      <label>
        {t('filters.priority')}
        <select value={filters.priority} onChange={set('priority')}>
          <option value="">{t('filters.anyPriority')}</option>
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filters.type')}
        <select value={filters.type} onChange={set('type')}>
          <option value="">{t('filters.anyType')}</option>
          {CASE_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`caseType.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filters.assigned')}
        <select value={filters.assignee} onChange={set('assignee')}>
          <option value="">{t('filters.anyone')}</option>
          <option value="me">{t('filters.mine')}</option>
          <option value="none">{t('filters.unassigned')}</option>
        </select>
      </label>
      {supervisor && (
        <label>
          {t('filters.queue')}
          <select value={filters.queue} onChange={set('queue')}>
            <option value="">{t('filters.bothQueues')}</option>
            <option value="agents">{t('filters.agentsQueue')}</option>
            <option value="supervisors">{t('filters.supervisorsQueue')}</option>
          </select>
        </label>
      )}
    </form>
  );
}
