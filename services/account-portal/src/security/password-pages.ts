import { reasonKey } from '../email-links/pages';
import { stepUpPasskey } from '../passkeys/passkey-pages';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { secondFactorFields } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';

/**
 * The change-password form: the current password, the new one with the policy's live feedback
 * (`portal.js` asks `POST /password-feedback` as the customer types), and a code when two-step
 * verification is on, or the passkey (its button sends the form) when the account has one.
 */
export function changePasswordSection(page: PageContext, twoStepOn: boolean, hasPasskey = false): SafeHtml {
  const { t } = page;
  return html`<section aria-labelledby="password-title">
<h2 id="password-title">${t('security.password.title')}</h2>
<p>${t('security.password.intro')}</p>
<form method="post" action="${PAGE_PATHS.changePassword}" novalidate>
${csrfField(page)}
<label for="current-password">${t('security.password.current')}</label>
<input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="1024">
<label for="newPassword">${t('reset.newPassword')}</label>
<p class="hint" id="password-hint">${t('reset.hint')}</p>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength="1024" aria-describedby="password-hint password-feedback" data-password-feedback="${SCRIPT_PATHS.passwordFeedback}">
<div id="password-feedback" class="feedback" aria-live="polite"></div>
${twoStepOn ? secondFactorFields(page, false, 'pw-') : ''}
${twoStepOn || !hasPasskey ? html`<button type="submit">${t('security.password.submit')}</button>` : ''}
${hasPasskey ? stepUpPasskey(page, 'password_change', t('passkeys.stepUp.passwordChange')) : ''}
${!twoStepOn && hasPasskey ? html`<p class="hint" data-passkey-unsupported>${t('passkeys.unsupported')}</p>` : ''}
</form>
</section>`;
}

/** Auth's policy reasons for a refused new password, in the customer's words. */
export const policyRefusal = (page: PageContext, reasons: readonly string[]): SafeHtml =>
  html`<div class="notice alert" role="alert"><p>${page.t('reset.refused')}</p><ul class="reasons">${[
    ...new Set(reasons.map(reasonKey)),
  ].map((key) => html`<li>${page.t(`reset.reasons.${key}`)}</li>`)}</ul></div>`;
