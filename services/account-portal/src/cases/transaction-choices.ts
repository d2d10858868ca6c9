import type { AccountTransaction } from '@wallet-guard/contracts';
import { html, type SafeHtml } from '../web/html';
import type { PageContext } from '../web/page-context';
import { amountText, isOutgoing } from './transaction-words';

/**
 * The customer's recent transactions as the form shows them: the monitor's list, or `unavailable`
 * when it gave no usable answer (the form then says so and keeps only the typed ids).
 */
export type RecentTransactions = { outcome: 'ok'; items: readonly AccountTransaction[] } | { outcome: 'unavailable' };

/** "Payment to coffee-corner (merchant)", "Deposit": the type, and who the money went to or came from. */
function whatOf(page: PageContext, tx: AccountTransaction): string {
  const type = page.t(`cases.new.transactionTypes.${tx.type}`);
  if (!tx.counterparty) return type;
  const counterparty = page.t('cases.new.counterparty', {
    id: tx.counterparty.id,
    kind: page.t(`cases.new.counterpartyKinds.${tx.counterparty.kind}`),
  });
  return page.t(isOutgoing(tx.type) ? 'cases.new.paidTo' : 'cases.new.receivedFrom', { type, counterparty });
}

const whenOf = (page: PageContext, at: string): SafeHtml =>
  html`<time datetime="${at}">${new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at))}</time>`;

/**
 * The dispute's transactions: a checkbox for each recent one (what, amount in the customer's
 * locale, when, and its id), then the typed ids for one not in the list. `chosen` and `typed` are
 * what the customer sent when the form comes back with a refusal.
 */
export function transactionChoices(
  page: PageContext,
  recent: RecentTransactions,
  chosen: readonly string[],
  typed: string | undefined,
): SafeHtml {
  const { t } = page;
  const choice = (tx: AccountTransaction, index: number) => html`<li class="choice">
<input type="checkbox" id="transaction-${index}" name="chosenTransactionIds" value="${tx.transactionId}"${
    chosen.includes(tx.transactionId) ? html` checked` : ''
  }>
<label for="transaction-${index}"><span class="what">${whatOf(page, tx)}</span> <span class="amount">${amountText(page.locale, tx)}</span>
<span class="hint">${whenOf(page, tx.occurredAt)} · <span lang="en" class="transaction-id">${tx.transactionId}</span></span></label>
</li>`;
  let list: SafeHtml;
  if (recent.outcome === 'unavailable') {
    list = html`<p class="notice alert" id="transactions-unavailable">${t('cases.new.transactionsUnavailable')}</p>`;
  } else if (recent.items.length === 0) {
    list = html`<p id="transactions-none">${t('cases.new.transactionsNone')}</p>`;
  } else {
    list = html`<p class="hint" id="transactions-choose">${t('cases.new.transactionsChoose')}</p>
<ul class="transactions">${recent.items.map(choice)}</ul>`;
  }
  return html`<fieldset class="transactions">
<legend>${t('cases.new.transactions')}</legend>
${list}
<label for="transactionIds">${t('cases.new.notInList')}</label>
<p class="hint" id="transactions-hint">${t('cases.new.transactionsHint')}</p>
<input id="transactionIds" name="transactionIds" type="text" maxlength="1000" autocomplete="off" spellcheck="false" aria-describedby="transactions-hint" value="${typed ?? ''}">
</fieldset>`;
}
