import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { passkeyControl } from '../passkeys/passkey-control';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { fragmentTokenField, secondFactorFields } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { csrfField, notice } from '../web/layout';
import type { PageContext } from '../web/page-context';

/**
 * The second factor of a link's action: a code or recovery code, and the passkey when the link's
 * account has one (`passkeys.js` asks, with the link's token, before showing the button).
 */
const secondFactorSection = (
  page: PageContext,
  wrong: boolean,
  purpose: 'unlock' | 'password_reset',
  submitLabel: string,
): SafeHtml =>
  html`<fieldset>
<legend>${page.t('common.secondFactorIntro')}</legend>
${wrong ? notice('alert', page.t('common.secondFactorWrong')) : ''}
${passkeyControl(page, {
  mode: 'authenticate',
  optionsPath: SCRIPT_PATHS.passkeyStepUpOptions,
  body: { purpose },
  send: ['token'],
  probe: true,
  intro: page.t('passkeys.stepUp.linkIntro'),
  label: submitLabel,
  secondary: true,
})}
${secondFactorFields(page, wrong)}
</fieldset>`;

/** The unlock form: the token comes from the link's fragment (see `portal.js`). */
export const unlockForm = (page: PageContext, input: { message?: SafeHtml; wrongCode?: boolean } = {}): SafeHtml =>
  html`${input.message ?? ''}<p>${page.t('unlock.intro')}</p>
<form method="post" action="${PORTAL_PATHS.unlock}" novalidate>
${csrfField(page)}${fragmentTokenField(page)}
${secondFactorSection(page, input.wrongCode ?? false, 'unlock', page.t('passkeys.stepUp.unlock'))}
<button type="submit">${page.t('unlock.submit')}</button>
</form>`;

/**
 * The new-password form with the policy in words, and auth's reasons after a refusal. With the
 * script, `#password-feedback` also says what auth thinks of the password as it is typed.
 */
export const resetForm = (
  page: PageContext,
  input: { message?: SafeHtml; wrongCode?: boolean; reasons?: string[] } = {},
): SafeHtml => {
  const { t } = page;
  const reasons = input.reasons
    ? html`<div class="notice alert" role="alert"><p>${t('reset.refused')}</p><ul class="reasons">${[
        ...new Set(input.reasons),
      ].map((reason) => html`<li>${t(`reset.reasons.${reasonKey(reason)}`)}</li>`)}</ul></div>`
    : '';
  return html`${input.message ?? ''}${reasons}<p>${t('reset.intro')}</p>
<form method="post" action="${PORTAL_PATHS.resetPassword}" novalidate>
${csrfField(page)}${fragmentTokenField(page)}
<label for="newPassword">${t('reset.newPassword')}</label>
<p class="hint" id="password-hint">${t('reset.hint')}</p>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength="1024" aria-describedby="password-hint password-feedback" data-password-feedback="${SCRIPT_PATHS.passwordFeedback}">
<div id="password-feedback" class="feedback" aria-live="polite"></div>
${secondFactorSection(page, input.wrongCode ?? false, 'password_reset', t('passkeys.stepUp.reset'))}
<button type="submit">${t('reset.submit')}</button>
</form>`;
};

const KNOWN_REASONS = new Set([
  'too_short',
  'too_long',
  'common',
  'contains_email',
  'resembles_email',
  'too_weak',
  'reused',
  'missing_lowercase',
  'missing_uppercase',
  'missing_digit',
  'missing_symbol',
]);
/** The `reset.reasons.*` key of one of auth's policy reasons (`other` for one this portal does not know). */
export const reasonKey = (reason: string) => (KNOWN_REASONS.has(reason) ? reason : 'other');

/** The freeze confirmation: what freezing does, then one button. */
export const freezeForm = (page: PageContext, message?: SafeHtml): SafeHtml =>
  html`${message ?? ''}<p>${page.t('freeze.intro')}</p>
<ul><li>${page.t('freeze.effectSessions')}</li><li>${page.t('freeze.effectSignIn')}</li></ul>
<form method="post" action="${PORTAL_PATHS.freeze}" novalidate>
${csrfField(page)}${fragmentTokenField(page)}
<button type="submit" class="danger">${page.t('freeze.submit')}</button>
</form>`;

/** A result page: the message and the way on (sign-in, or a new link). */
export const resultPage = (message: SafeHtml, next: SafeHtml): SafeHtml => html`${message}<p>${next}</p>`;

export const signInLink = (page: PageContext): SafeHtml =>
  html`<a class="button" href="${PAGE_PATHS.signIn}">${page.t('common.signInLink')}</a>`;

export const newResetLink = (page: PageContext): SafeHtml =>
  html`<a href="${PAGE_PATHS.forgotPassword}">${page.t('forgot.title')}</a>`;
