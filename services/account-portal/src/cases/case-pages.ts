import { type CustomerCaseView, PORTAL_PATHS } from '@wallet-guard/contracts';
import { PAGE_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';
import {
  acceptsMessages,
  CUSTOMER_STATUS,
  customerTypeKey,
  PORTAL_CATEGORIES,
  type PortalCategory,
} from './case-words';
import { satisfactionSection } from './satisfaction-form';
import { type RecentTransactions, transactionChoices } from './transaction-choices';

/** What the customer typed into the new-request form, kept when it comes back with a refusal. */
export interface RequestDraft {
  category?: PortalCategory | undefined;
  message?: string | undefined;
  /** Ids typed into "not in the list?". */
  transactionIds?: string | undefined;
  /** Ids ticked in the list of recent transactions. */
  chosenTransactionIds?: readonly string[] | undefined;
}

export const caseHref = (caseNumber: string) => `${PORTAL_PATHS.cases}/${caseNumber}`;

const statusOf = (page: PageContext, c: CustomerCaseView): SafeHtml =>
  html`<span class="case-status ${CUSTOMER_STATUS[c.status]}">${page.t(`cases.status.${CUSTOMER_STATUS[c.status]}`)}</span>`;

const dateOf = (page: PageContext, at: string): SafeHtml =>
  html`<time datetime="${at}">${new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at))}</time>`;

/** The new-request form: what it is about, the message, and (for a dispute) the transactions. */
function requestForm(page: PageContext, draft: RequestDraft, recent: RecentTransactions): SafeHtml {
  const { t } = page;
  const chosen = draft.category ?? 'question';
  return html`<form method="post" action="${PORTAL_PATHS.cases}" novalidate>
${csrfField(page)}
<fieldset>
<legend>${t('cases.new.category')}</legend>
${PORTAL_CATEGORIES.map(
  (category) =>
    html`<div class="choice"><input type="radio" id="category-${category}" name="category" value="${category}"${
      category === chosen ? html` checked` : ''
    }><label for="category-${category}">${t(`cases.new.categories.${category}`)}</label></div>`,
)}
</fieldset>
<label for="message">${t('cases.new.message')}</label>
<textarea id="message" name="message" rows="6" maxlength="5000" required>${draft.message ?? ''}</textarea>
${transactionChoices(page, recent, draft.chosenTransactionIds ?? [], draft.transactionIds)}
<button type="submit">${t('cases.new.submit')}</button>
</form>
<p class="hint">${t('cases.new.theft')} <a href="${PORTAL_PATHS.security}">${t('cases.new.theftLink')}</a></p>`;
}

/**
 * The customer's requests (newest first), each with its status in their words, then the form for
 * a new one with their recent transactions to choose from.
 */
export function casesPage(
  page: PageContext,
  cases: readonly CustomerCaseView[],
  recent: RecentTransactions,
  input: { message?: SafeHtml; draft?: RequestDraft } = {},
): SafeHtml {
  const { t } = page;
  const item = (c: CustomerCaseView) => html`<li>
<p class="what"><a href="${caseHref(c.caseNumber)}">${t(`cases.type.${customerTypeKey(c.type)}`)} · <span lang="en">${c.caseNumber}</span></a></p>
<p class="hint">${statusOf(page, c)} · ${t('cases.updated')} ${dateOf(page, c.updatedAt)}</p>
</li>`;
  return html`${input.message ?? ''}
<section aria-labelledby="mine-title">
<h2 id="mine-title">${t('cases.mine')}</h2>
${cases.length > 0 ? html`<ul class="cases">${cases.map(item)}</ul>` : html`<p>${t('cases.none')}</p>`}
</section>
<section aria-labelledby="new-title">
<h2 id="new-title">${t('cases.new.title')}</h2>
${requestForm(page, input.draft ?? {}, recent)}
</section>
<p><a href="${PAGE_PATHS.help}">${t('cases.help')}</a></p>`;
}

/**
 * One request: its status, the rating form once resolved (`chosenRating`: picked in the e-mail),
 * every public reply and the customer's own messages, and the answer form while it is open.
 */
export function casePage(page: PageContext, c: CustomerCaseView, message?: SafeHtml, chosenRating?: number): SafeHtml {
  const { t } = page;
  const note = (n: CustomerCaseView['publicNotes'][number]) => html`<li class="${n.from}">
<p class="hint">${n.from === 'customer' ? t('cases.fromYou') : t('cases.fromSupport')} · ${dateOf(page, n.at)}</p>
<p class="body">${n.body}</p>
</li>`;
  const answer = acceptsMessages(c.status)
    ? html`<form method="post" action="${caseHref(c.caseNumber)}/messages" novalidate>
${csrfField(page)}
<label for="reply">${t('cases.reply.label')}</label>
<textarea id="reply" name="message" rows="5" maxlength="5000" required></textarea>
<button type="submit">${t('cases.reply.submit')}</button>
</form>`
    : html`<p>${t('cases.reply.closed')}</p>`;
  return html`${message ?? ''}
<dl class="who"><dt>${t('cases.number')}</dt><dd lang="en">${c.caseNumber}</dd>
<dt>${t('cases.statusLabel')}</dt><dd>${statusOf(page, c)}</dd>
<dt>${t('cases.opened')}</dt><dd>${dateOf(page, c.openedAt)}</dd></dl>
${CUSTOMER_STATUS[c.status] === 'waiting' ? html`<p class="notice status" role="status">${t('cases.waitingHint')}</p>` : ''}
${satisfactionSection(page, c, chosenRating)}
<section aria-labelledby="messages-title">
<h2 id="messages-title">${t('cases.messages')}</h2>
<ol class="messages">${c.publicNotes.map(note)}</ol>
</section>
<section aria-labelledby="reply-title">
<h2 id="reply-title">${t('cases.reply.title')}</h2>
${answer}
</section>
<p><a href="${PORTAL_PATHS.cases}">${t('cases.back')}</a></p>`;
}
