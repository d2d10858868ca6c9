import { passkeyControl } from '../passkeys/passkey-control';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
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
<form method="post" action="${PAGE_PATHS.passkeySignIn}" novalidate>
${csrfField(page)}
${passkeyControl(page, {
  mode: 'authenticate',
  optionsPath: SCRIPT_PATHS.passkeySignInOptions,
  intro: t('passkeys.signIn.intro'),
  label: t('passkeys.signIn.button'),
  secondary: true,
})}
</form>
<p><a href="${PAGE_PATHS.forgotPassword}">${t('signIn.forgot')}</a></p>
<p><a href="${PAGE_PATHS.help}">${t('signIn.help')}</a></p>`;
}

/** The refusal of a wrong password (or locked, or frozen: the same words, as auth's API). */
export const refusedMessage = (page: PageContext): SafeHtml =>
  html`<div class="notice alert" role="alert"><p>${page.t('signIn.refused')}</p><p>${page.t('signIn.refusedHelp')}</p></div>`;

/**
 * The second step with what the account has (auth's `methods`; all but the passkey when unknown):
 * the passkey first, then a code from the authenticator app or a recovery code. With `email_code`
 * (a sign-in auth found risky, on an account without two-step verification) the code we e-mailed.
 */
export function secondStepPage(page: PageContext, message?: SafeHtml, methods?: readonly string[]): SafeHtml {
  const { t } = page;
  if (methods?.includes('email_code')) return emailCodeStep(page, message);
  const passkey = methods?.includes('passkey') ?? false;
  const totp = methods ? methods.includes('totp') : true;
  const recovery = methods ? methods.includes('recovery') : true;
  const intro = passkey
    ? t(totp ? 'passkeys.secondStep.introWithCode' : 'passkeys.secondStep.intro')
    : t('signIn.secondIntro');
  const codes = totp
    ? secondFactorFields(page, !passkey)
    : recovery
      ? html`<label for="recoveryCode">${t('common.recoveryCode')}</label>
<p class="hint" id="recovery-hint">${t('common.recoveryHint')}</p>
<input id="recoveryCode" name="recoveryCode" type="text" autocomplete="off" spellcheck="false" maxlength="32" aria-describedby="recovery-hint">`
      : '';
  return html`${message ?? ''}
<p>${intro}</p>
<form method="post" action="${PAGE_PATHS.secondStep}" novalidate>
${csrfField(page)}
${
  passkey
    ? passkeyControl(page, {
        mode: 'authenticate',
        optionsPath: SCRIPT_PATHS.passkeySecondStepOptions,
        label: t('passkeys.secondStep.button'),
        unsupported: t('passkeys.unsupported'),
      })
    : ''
}
${codes}
${codes === '' ? '' : html`<button type="submit"${passkey ? html` class="secondary"` : ''}>${t('signIn.secondSubmit')}</button>`}
</form>
<p><a href="${PAGE_PATHS.signIn}">${t('common.backToSignIn')}</a></p>`;
}

export const alertOf = (page: PageContext, key: string): SafeHtml => notice('alert', page.t(key));

/** The e-mailed code: why we ask, where to find it, and what to do when it was not you. */
function emailCodeStep(page: PageContext, message?: SafeHtml): SafeHtml {
  const { t } = page;
  return html`${message ?? ''}
<p>${t('signIn.emailCode.intro')}</p>
<p>${t('signIn.emailCode.why')}</p>
<form method="post" action="${PAGE_PATHS.secondStep}" novalidate>
${csrfField(page)}
<label for="emailCode">${t('signIn.emailCode.label')}</label>
<p class="hint" id="email-code-hint">${t('signIn.emailCode.hint')}</p>
<input id="emailCode" name="emailCode" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" aria-describedby="email-code-hint" autofocus>
<button type="submit">${t('signIn.secondSubmit')}</button>
</form>
<p>${t('signIn.emailCode.notYou')}</p>
<p><a href="${PAGE_PATHS.signIn}">${t('common.backToSignIn')}</a></p>`;
}
