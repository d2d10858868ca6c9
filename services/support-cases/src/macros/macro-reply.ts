// A macro used on a case: written out for the agent to edit (render), then sent as a note with
// the macro's status applied through the case's state machine.
import type { Database } from '@wallet-guard/db';
import type { SupportedLocale } from '@wallet-guard/i18n';
import type { Kysely, Transaction } from 'kysely';
import { type AgentActor, actorLabel } from '../cases/actor';
import { addNote, changeStatus } from '../cases/agent-actions';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import { appendTimeline, getCase } from '../cases/cases-repo';
import { caseErrors } from '../errors';
import { type AuthClient, upstreamUnavailable } from '../service-clients';
import { findMacro, type MacroStatus } from './macro-store';
import {
  ACCOUNT_PLACEHOLDERS,
  type AccountState,
  accountStateWord,
  customerNameOf,
  type Placeholder,
  pickText,
  placeholdersOf,
  renderTemplate,
} from './macro-template';

export interface RenderedMacro {
  macroId: string;
  version: number;
  /** The language the text is in; `fellBack` when the macro has none in the case's language. */
  locale: SupportedLocale;
  fellBack: boolean;
  /** Plain text for the agent to edit before sending (never HTML). */
  text: string;
  visibility: 'internal' | 'public';
  setStatus: MacroStatus | null;
}

/**
 * A macro written out for a case, in the case's language (see `pickText`), its placeholders filled
 * in. Auth is asked for the account only when the text uses `customerName` or `accountState`; when
 * it gives no usable answer, 503 CASE_UPSTREAM_UNAVAILABLE (a reply guessing the account's state
 * would tell the customer something untrue). 404 CASE_NOT_FOUND, CASE_MACRO_NOT_FOUND.
 */
export async function renderMacro(
  deps: { db: Kysely<Database>; auth: AuthClient },
  input: { caseId: string; macroId: string; agent: AgentActor; httpRequestId?: string | undefined },
): Promise<RenderedMacro> {
  const c = await getCase(deps.db, input.caseId);
  if (!c) throw caseErrors.caseNotFound();
  const macro = await findMacro(deps.db, input.macroId);
  if (!macro) throw caseErrors.macroNotFound();
  const picked = pickText(macro.texts, c.locale);
  // Saving refuses a macro without any text, so this is a stored row nobody wrote through the API.
  if (!picked) throw caseErrors.macroNotFound();
  const used = placeholdersOf(picked.text);
  const values: Record<Placeholder, string> = {
    caseNumber: c.number,
    agentName: input.agent.name,
    customerName: '',
    accountState: '',
  };
  if (ACCOUNT_PLACEHOLDERS.some((p) => used.has(p))) {
    const account = await deps.auth.getAccount({ params: { id: c.accountId }, requestId: input.httpRequestId });
    if (account.outcome === 'unavailable') throw upstreamUnavailable(account);
    if (account.outcome === 'refused') {
      throw caseErrors.upstreamUnavailable('auth did not give the account the macro names', {
        service: deps.auth.service,
        status: account.status,
        ...(account.code ? { code: account.code } : {}),
      });
    }
    const state: AccountState = account.body.status === 'frozen' ? 'frozen' : account.body.locked ? 'locked' : 'active';
    values.customerName = customerNameOf(account.body.email);
    values.accountState = accountStateWord(picked.locale, state);
  }
  return {
    macroId: macro.id,
    version: macro.version,
    locale: picked.locale,
    fellBack: picked.fellBack,
    text: renderTemplate(picked.text, values),
    visibility: macro.visibility,
    setStatus: macro.setStatus,
  };
}

/**
 * POST /notes with a `macroId`: the note (the agent's edited text) with the macro's visibility
 * unless the agent chose one, then the macro's status through `changeStatus`, i.e. the case's
 * one state machine (a move it refuses, such as an agent moving an escalated case, refuses the
 * whole reply: 409 CASE_INVALID_TRANSITION or 403 CASE_FORBIDDEN, and nothing is sent), and a
 * timeline entry naming the macro and version. One transaction: all of it or nothing.
 */
export async function sendMacroReply(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  reply: { body: string; visibility?: 'internal' | 'public' | undefined; macroId: string },
): Promise<CaseRecord> {
  const macro = await findMacro(trx, reply.macroId);
  if (!macro) throw caseErrors.macroNotFound();
  const visibility = reply.visibility ?? macro.visibility;
  let current = await addNote(trx, context, caseId, agent, { body: reply.body, visibility });
  if (macro.setStatus) current = await changeStatus(trx, context, caseId, agent, macro.setStatus);
  await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: actorLabel(agent),
        kind: 'macro_applied',
        data: { macroId: macro.id, version: macro.version, name: macro.name, visibility, setStatus: macro.setStatus },
      },
    ],
    context.clock(),
  );
  return current;
}
