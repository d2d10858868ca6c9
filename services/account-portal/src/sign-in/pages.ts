import { PAGE_PATHS } from '../route-conventions';
import { secondFactorFields } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { csrfField, notice } from '../web/layout';
import type { PageContext } from '../web/page-context';

/** The sign-in form; `message` explains the last refusal, `email` is kept so it need not be typed again. */
export function signInPage(page: PageContext, input: { message?: SafeHtml; email?: string } = {}): SafeHtml {
  const { t } = page;
  return html`${input.message ?? ''}
<form method="post" action="${PAGE_PATHS.signIn}" novalidate>
${csrfField(page)}
<label for="email">${t('common.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${input.email ?? ''}">
<label for="password">${t('common.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">${t('signIn.submit')}</button>
</form>
<p><a href="${PAGE_PATHS.forgotPassword}">${t('signIn.forgot')}</a></p>
<p><a href="${PAGE_PATHS.help}">${t('signIn.help')}</a></p>`;
}

/** The refusal of a wrong password (or locked, or frozen: the same words, as auth's API). */
export const refusedMessage = (page: PageContext): SafeHtml =>
  html`<div class="notice alert" role="alert"><p>${page.t('signIn.refused')}</p><p>${page.t('signIn.refusedHelp')}</p></div>`;

/** The second step: a code from the authenticator app or a recovery code. */
export function secondStepPage(page: PageContext, message?: SafeHtml): SafeHtml {
  const { t } = page;
  return html`${message ?? ''}
<p>${t('signIn.secondIntro')}</p>
<form method="post" action="${PAGE_PATHS.secondStep}" novalidate>
${csrfField(page)}
${secondFactorFields(page, true)}
<button type="submit">${t('signIn.secondSubmit')}</button>
</form>
<p><a href="${PAGE_PATHS.signIn}">${t('common.backToSignIn')}</a></p>`;
}

export const alertOf = (page: PageContext, key: string): SafeHtml => notice('alert', page.t(key));
