// Merge this case, a duplicate, into another open case of the same account.
import type { CaseDetailView, CaseView } from '@wallet-guard/contracts';
import { useEffect, useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { ActionForm, field, type Outcome } from './action-form';

interface Props {
  session: Session;
  detail: CaseDetailView;
  onResult: (result: Outcome | null) => void;
}

/**
 * Offers the account's other open cases as the survivor; once merged, the console opens the
 * survivor (this case is closed and points there). Without another open case, says so.
 */
export function MergeForm({ session, detail, onResult }: Props) {
  const { t } = useWords();
  const c = detail.case;
  const [targets, setTargets] = useState<CaseView[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    session.api
      .openCasesOfAccount(c.accountId, controller.signal)
      .then((cases) => setTargets(cases.filter((other) => other.id !== c.id)))
      .catch(() => {
        if (!controller.signal.aborted) setTargets([]);
      });
    return () => controller.abort();
  }, [session, c.accountId, c.id]);

  if (targets === null) return null;
  if (targets.length === 0) {
    return (
      <div className="action">
        <h3>{t('merge.title')}</h3>
        <p className="muted">{t('merge.noOtherCase')}</p>
      </div>
    );
  }
  return (
    <ActionForm
      title={t('merge.title')}
      submitLabel={t('merge.submit')}
      onResult={onResult}
      // The survivor opens: this case is closed now.
      onDone={() => undefined}
      run={async (form) => {
        const { survivor } = await session.api.merge(c.id, field(form, 'intoCaseId'), field(form, 'reason'));
        window.location.hash = `#/cases/${survivor.id}`;
        return t('merge.done', { number: c.number, into: survivor.number });
      }}
    >
      <label>
        {t('merge.into')}
        <select name="intoCaseId" required defaultValue="">
          <option value="" disabled>
            {t('merge.choose')}
          </option>
          {targets.map((other) => (
            <option key={other.id} value={other.id}>
              {t('merge.option', {
                number: other.number,
                type: t(`caseType.${other.type}`),
                status: t(`status.${other.status}`),
              })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('merge.reason')}
        <input name="reason" required maxLength={2000} />
      </label>
    </ActionForm>
  );
}

/** On a merged case: where its work goes on, instead of the actions. */
export function MergedNotice({ mergedInto }: { mergedInto: string }) {
  const { t } = useWords();
  return (
    <p className="notice">
      {t('merge.mergedInto')} <a href={`#/cases/${mergedInto}`}>{t('merge.openSurvivor')}</a>
    </p>
  );
}
