import {
  CASE_OUTCOMES,
  type CaseDetailView,
  type CaseOutcome,
  VERIFICATION_METHODS,
  type VerificationMethod,
} from '@wallet-guard/contracts';
import { useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { ActionForm, ActionResult, field, type Outcome } from './action-form';
import { MacroPicker } from './macro-picker';
import { MergedNotice, MergeForm } from './merge-form';

interface Props {
  session: Session;
  detail: CaseDetailView;
  onDone: () => void;
}

const AGENT_OUTCOMES = CASE_OUTCOMES.filter((o): o is Exclude<CaseOutcome, 'self_unlocked'> => o !== 'self_unlocked');

interface ReasonProps {
  title: string;
  submitLabel: string;
  label: string;
  maxLength: number;
  tone?: 'danger';
  /** Does the action with the typed reason; resolves to the sentence reporting it. */
  act: (reason: string) => Promise<string>;
  onDone: () => void;
  onResult: (result: Outcome | null) => void;
}

/** The actions that only need a reason: freeze, unfreeze, escalate, reopen. */
function ReasonForm({ label, maxLength, act, ...form }: ReasonProps) {
  return (
    <ActionForm {...form} run={(data) => act(field(data, 'reason'))}>
      <label>
        {label}
        <input name="reason" required maxLength={maxLength} />
      </label>
    </ActionForm>
  );
}

/** What the agent can do on this case; the role decides what is offered (unfreeze: supervisors). */
export function CaseActions({ session, detail, onDone }: Props) {
  const [lastOutcome, onResult] = useState<Outcome | null>(null);
  const { t, locale } = useWords();
  const { api, agent } = session;
  const c = detail.case;
  const supervisor = agent.role === 'supervisor';
  const open = c.status !== 'resolved' && c.status !== 'closed';
  const frozen = detail.account.available && detail.account.data.status === 'frozen';

  if (!open) {
    // A merged duplicate is not reopened: its work goes on in the survivor.
    if (c.mergedInto) {
      return (
        <section className="actions" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('actions.title')}</h2>
          <MergedNotice mergedInto={c.mergedInto} />
        </section>
      );
    }
    return (
      <section className="actions" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('actions.title')}</h2>
        <ActionResult result={lastOutcome} />
        <ReasonForm
          title={t('actions.reopen.title')}
          submitLabel={t('actions.reopen.submit')}
          label={t('actions.reopen.why')}
          maxLength={2000}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            const updated = await api.reopen(c.id, reason);
            return t('actions.reopen.done', { status: t(`status.${updated.status}`).toLocaleLowerCase(locale) });
          }}
        />
      </section>
    );
  }

  return (
    <section className="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      <ActionResult result={lastOutcome} />
      {c.assignee === agent.name ? (
        <p className="muted">{t('actions.claim.youHold')}</p>
      ) : (
        <ActionForm
          title={t('actions.claim.title')}
          submitLabel={
            c.assignee && c.assignee !== agent.name && supervisor
              ? t('actions.claim.takeOver')
              : t('actions.claim.submit')
          }
          onDone={onDone}
          onResult={onResult}
          run={async () => {
            const updated = await api.claim(c.id);
            return t('actions.claim.done', { number: updated.number });
          }}
        >
          <p className="muted">
            {c.assignee
              ? t(supervisor ? 'actions.claim.heldByTakeOver' : 'actions.claim.heldBy', { name: c.assignee })
              : t('actions.claim.nobody')}
          </p>
        </ActionForm>
      )}

      <ActionForm
        title={t('actions.note.title')}
        submitLabel={t('actions.note.submit')}
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const visibility = field(form, 'visibility') === 'public' ? 'public' : 'internal';
          await api.addNote(c.id, field(form, 'body'), visibility, field(form, 'macroId') || undefined);
          return visibility === 'public' ? t('actions.note.donePublic') : t('actions.note.doneInternal');
        }}
      >
        <MacroPicker session={session} caseId={c.id} />
        <label>
          {t('actions.note.text')}
          <textarea name="body" required rows={3} maxLength={5000} />
        </label>
        <fieldset className="inline">
          <legend>{t('actions.note.whoSees')}</legend>
          <label>
            <input type="radio" name="visibility" value="internal" defaultChecked /> {t('actions.note.agentsOnly')}
          </label>
          <label>
            <input type="radio" name="visibility" value="public" /> {t('actions.note.customerToo')}
          </label>
        </fieldset>
      </ActionForm>

      <ActionForm
        title={t('actions.unlock.title')}
        submitLabel={t('actions.unlock.submit')}
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const method = field(form, 'method') as VerificationMethod;
          const reference = field(form, 'reference');
          await api.unlockAccount(c.id, method, reference);
          return t('actions.unlock.done', { method: t(`verification.${method}`), reference });
        }}
      >
        <label>
          {t('actions.unlock.check')}
          <select name="method" required defaultValue="">
            <option value="" disabled>
              {t('actions.unlock.choose')}
            </option>
            {VERIFICATION_METHODS.map((value) => (
              <option key={value} value={value}>
                {t(`verification.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('actions.unlock.reference')}
          <input name="reference" required maxLength={200} placeholder={t('actions.unlock.referenceExample')} />
        </label>
      </ActionForm>

      {!frozen && (
        <ReasonForm
          title={t('actions.freeze.title')}
          submitLabel={t('actions.freeze.submit')}
          label={t('actions.freeze.reason')}
          maxLength={500}
          tone="danger"
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.freezeAccount(c.id, reason);
            return t('actions.freeze.done');
          }}
        />
      )}

      {supervisor && (
        <ReasonForm
          title={t('actions.unfreeze.title')}
          submitLabel={t('actions.unfreeze.submit')}
          label={t('actions.unfreeze.reason')}
          maxLength={500}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.unfreezeAccount(c.id, reason);
            return t('actions.unfreeze.done');
          }}
        />
      )}

      {c.status !== 'escalated' && (
        <ReasonForm
          title={t('actions.escalate.title')}
          submitLabel={t('actions.escalate.submit')}
          label={t('actions.escalate.why')}
          maxLength={2000}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.escalate(c.id, reason);
            return t('actions.escalate.done');
          }}
        />
      )}

      <ActionForm
        title={t('actions.resolve.title')}
        submitLabel={t('actions.resolve.submit')}
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const outcome = field(form, 'outcome') as Exclude<CaseOutcome, 'self_unlocked'>;
          await api.resolve(c.id, outcome, field(form, 'note'));
          return t('actions.resolve.done', { outcome: t(`outcome.${outcome}`) });
        }}
      >
        <label>
          {t('actions.resolve.outcome')}
          <select name="outcome" required defaultValue="">
            <option value="" disabled>
              {t('actions.resolve.choose')}
            </option>
            {AGENT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('actions.resolve.note')}
          <textarea name="note" required rows={2} maxLength={5000} />
        </label>
      </ActionForm>

      <MergeForm session={session} detail={detail} onResult={onResult} />
    </section>
  );
}
