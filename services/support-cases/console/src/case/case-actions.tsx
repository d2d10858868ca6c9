import {
  CASE_OUTCOMES,
  type CaseDetailView,
  type CaseOutcome,
  VERIFICATION_METHODS,
  type VerificationMethod,
} from '@wallet-guard/contracts';
import { useState } from 'react';
import type { Session } from '../session';
import { OUTCOME_WORDS, STATUS_WORDS, VERIFICATION_WORDS } from '../words';
import { ActionForm, ActionResult, field, type Outcome } from './action-form';

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
  const { api, agent } = session;
  const c = detail.case;
  const supervisor = agent.role === 'supervisor';
  const open = c.status !== 'resolved' && c.status !== 'closed';
  const frozen = detail.account.available && detail.account.data.status === 'frozen';

  if (!open) {
    return (
      <section className="actions" aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        <ActionResult result={lastOutcome} />
        <ReasonForm
          title="Reopen"
          submitLabel="Reopen the case"
          label="Why"
          maxLength={2000}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            const updated = await api.reopen(c.id, reason);
            return `Reopened: the case is ${STATUS_WORDS[updated.status].toLowerCase()} again.`;
          }}
        />
      </section>
    );
  }

  return (
    <section className="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <ActionResult result={lastOutcome} />
      {c.assignee === agent.name ? (
        <p className="muted">You hold this case.</p>
      ) : (
        <ActionForm
          title="Claim"
          submitLabel={c.assignee && c.assignee !== agent.name && supervisor ? 'Take over' : 'Claim'}
          onDone={onDone}
          onResult={onResult}
          run={async () => {
            const updated = await api.claim(c.id);
            return `Claimed: ${updated.number} is yours.`;
          }}
        >
          <p className="muted">
            {c.assignee
              ? `Held by ${c.assignee}.${supervisor ? ' As a supervisor you may take it over.' : ''}`
              : 'Nobody holds this case yet. Acting on it claims it too.'}
          </p>
        </ActionForm>
      )}

      <ActionForm
        title="Note"
        submitLabel="Add note"
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const visibility = field(form, 'visibility') === 'public' ? 'public' : 'internal';
          await api.addNote(c.id, field(form, 'body'), visibility);
          return visibility === 'public' ? 'Public note added: the customer will see it.' : 'Internal note added.';
        }}
      >
        <label>
          Text
          <textarea name="body" required rows={3} maxLength={5000} />
        </label>
        <fieldset className="inline">
          <legend>Who sees it</legend>
          <label>
            <input type="radio" name="visibility" value="internal" defaultChecked /> Agents only
          </label>
          <label>
            <input type="radio" name="visibility" value="public" /> The customer too
          </label>
        </fieldset>
      </ActionForm>

      <ActionForm
        title="Unlock account"
        submitLabel="Unlock account"
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const method = field(form, 'method') as VerificationMethod;
          const reference = field(form, 'reference');
          await api.unlockAccount(c.id, method, reference);
          return `Account unlocked. Identity check recorded: ${VERIFICATION_WORDS[method]}, reference ${reference}.`;
        }}
      >
        <label>
          Identity check
          <select name="method" required defaultValue="">
            <option value="" disabled>
              Choose how you verified the caller
            </option>
            {VERIFICATION_METHODS.map((value) => (
              <option key={value} value={value}>
                {VERIFICATION_WORDS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reference of the check
          <input name="reference" required maxLength={200} placeholder="e.g. call-2026-11-23-0042" />
        </label>
      </ActionForm>

      {!frozen && (
        <ReasonForm
          title="Freeze account"
          submitLabel="Freeze account"
          label="Reason"
          maxLength={500}
          tone="danger"
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.freezeAccount(c.id, reason);
            return 'Account frozen: every session ended and sign-in stops until a supervisor unfreezes it.';
          }}
        />
      )}

      {supervisor && (
        <ReasonForm
          title="Unfreeze account"
          submitLabel="Unfreeze account"
          label="Reason"
          maxLength={500}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.unfreezeAccount(c.id, reason);
            return 'Account unfrozen: the customer can sign in again.';
          }}
        />
      )}

      {c.status !== 'escalated' && (
        <ReasonForm
          title="Escalate"
          submitLabel="Escalate to supervisors"
          label="Why"
          maxLength={2000}
          onDone={onDone}
          onResult={onResult}
          act={async (reason) => {
            await api.escalate(c.id, reason);
            return "Escalated: the case is in the supervisors' queue.";
          }}
        />
      )}

      <ActionForm
        title="Resolve"
        submitLabel="Resolve"
        onDone={onDone}
        onResult={onResult}
        run={async (form) => {
          const outcome = field(form, 'outcome') as Exclude<CaseOutcome, 'self_unlocked'>;
          await api.resolve(c.id, outcome, field(form, 'note'));
          return `Resolved: ${OUTCOME_WORDS[outcome]}.`;
        }}
      >
        <label>
          Outcome
          <select name="outcome" required defaultValue="">
            <option value="" disabled>
              Choose the outcome
            </option>
            {AGENT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_WORDS[o]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Closing note
          <textarea name="note" required rows={2} maxLength={5000} />
        </label>
      </ActionForm>
    </section>
  );
}
