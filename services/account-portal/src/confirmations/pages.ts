import { type ConfirmationView, PORTAL_PATHS } from '@wallet-guard/contracts';
import { passkeyControl } from '../passkeys/passkey-control';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import { csrfField, notice } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { currencyName, formatAmount } from './amount';

/** `/confirmations/<id>` and its answers' paths. */
export const confirmationPath = (id: string) => `/confirmations/${id}`;
const approvePath = (id: string) => `/confirmations/${id}/approve`;
const refusePath = (id: string) => `/confirmations/${id}/refuse`;

/** A deadline minutes away: the time with its zone, so a customer elsewhere is not misled (UTC, as the server knows no other). */
const when = (page: PageContext, iso: string): string =>
  new Intl.DateTimeFormat(page.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(iso));

/**
 * What is being paid, in the page's language: the amount with the currency's own minor digits
 * (Intl, exact), the currency's name and code, the payee's name, kind and the wallet's id for it
 * (so a swapped account number shows), and until when the confirmation stands.
 */
function paymentDetails(page: PageContext, view: ConfirmationView): SafeHtml {
  const { t } = page;
  return html`<dl class="payment">
<dt>${t('confirmations.amount')}</dt><dd class="amount" id="amount">${formatAmount(page.locale, view.amountMinor, view.currency)}</dd>
<dt>${t('confirmations.currency')}</dt><dd id="currency">${currencyName(page.locale, view.currency)}</dd>
<dt>${t('confirmations.payee')}</dt><dd id="payee">${view.payee.name}</dd>
<dt>${t('confirmations.payeeKind')}</dt><dd id="payee-kind">${t(`confirmations.payeeKinds.${view.payee.kind}`)}</dd>
<dt>${t('confirmations.payeeId')}</dt><dd class="identifier" lang="en">${view.payee.id}</dd>
<dt>${t('confirmations.expires')}</dt><dd><time datetime="${view.expiresAt}">${when(page, view.expiresAt)}</time></dd>
</dl>`;
}

/**
 * A pending payment: its details, then approve with the passkey (first, phishing-resistant) or a
 * code from the authenticator app, whichever the account has (auth's `methods`), or refuse.
 */
export function pendingPage(page: PageContext, view: ConfirmationView, message?: SafeHtml): SafeHtml {
  const { t } = page;
  const id = view.confirmationId;
  const passkey = view.methods.includes('passkey');
  const totp = view.methods.includes('totp');
  return html`${message ?? ''}
<p>${t('confirmations.intro')}</p>
${paymentDetails(page, view)}
<form method="post" action="${approvePath(id)}" novalidate>
${csrfField(page)}
${
  passkey
    ? passkeyControl(page, {
        mode: 'authenticate',
        optionsPath: SCRIPT_PATHS.passkeyConfirmationOptions,
        body: { confirmationId: id },
        label: t('confirmations.approveWithPasskey'),
        unsupported: totp ? undefined : t('passkeys.unsupported'),
      })
    : ''
}
${
  totp
    ? html`<label for="code">${t('common.code')}</label>
<p class="hint" id="code-hint">${t('common.codeHint')}</p>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" aria-describedby="code-hint">
<button type="submit"${passkey ? html` class="secondary"` : ''}>${t('confirmations.approveWithCode')}</button>`
    : ''
}
</form>
<form method="post" action="${refusePath(id)}" novalidate>
${csrfField(page)}
<button type="submit" class="danger">${t('confirmations.refuse')}</button>
</form>
<p class="hint">${t('confirmations.notYou')} <a href="${PORTAL_PATHS.security}">${t('confirmations.securityLink')}</a></p>`;
}

/** A payment no longer pending: what became of it, in words, with its details. */
export function settledPage(page: PageContext, view: ConfirmationView): SafeHtml {
  const { t } = page;
  const kind = view.status === 'pending' ? 'expired' : view.status;
  return html`${notice(kind === 'refused' || kind === 'expired' ? 'alert' : 'status', t(`confirmations.status.${kind}`))}
${paymentDetails(page, view)}
<p><a href="${PAGE_PATHS.account}">${t('confirmations.toAccount')}</a></p>`;
}

/**
 * Approved just now: back to the wallet, which collects the token from auth itself (`POST
 * /v1/confirmations/:id/token` with its key), so no token is ever in a page, a URL or a log.
 */
export function approvedPage(page: PageContext, view: ConfirmationView): SafeHtml {
  const { t } = page;
  return html`${notice('status', t('confirmations.approved'))}
${paymentDetails(page, view)}
<p id="back-to-wallet">${t('confirmations.backToWallet')}</p>`;
}

/** Not this account's payment, or no such one: the same words, like auth's 404. */
export const notFoundBody = (page: PageContext): SafeHtml =>
  html`<p>${page.t('confirmations.notFound')}</p>
<p><a class="button" href="${PAGE_PATHS.account}">${page.t('confirmations.toAccount')}</a></p>`;
