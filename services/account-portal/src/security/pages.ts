import { type AuthPasskeyView, type AuthUserSession, PORTAL_PATHS, type SecurityEvent } from '@wallet-guard/contracts';
import { passkeysSection, stepUpPasskey } from '../passkeys/passkey-pages';
import { PAGE_PATHS } from '../route-conventions';
import { secondFactorFields } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { activitySection } from './activity-pages';
import { changePasswordSection } from './password-pages';
import { sessionsSection } from './sessions-pages';
import { stolenSection } from './stolen-pages';

/** What auth says about two-step verification for the signed-in account. */
export interface TwoStepState {
  enabled: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

/** What the security page shows, all from auth. */
export interface SecurityView {
  twoStep: TwoStepState;
  sessions: AuthUserSession[];
  /** The latest security events, newest first. */
  activity: SecurityEvent[];
  /** The account's passkeys, newest first. */
  passkeys: AuthPasskeyView[];
}

const passwordField = (page: PageContext, id: string): SafeHtml =>
  html`<label for="${id}">${page.t('common.password')}</label>
<input id="${id}" name="password" type="password" autocomplete="current-password" required maxlength="1024">`;

/**
 * The security page: two-step verification (on or off, new recovery codes), the passkeys, the password, and the
 * sessions (`currentId` is this browser's), and the recent security activity.
 */
export function securityPage(page: PageContext, view: SecurityView, currentId: string, message?: SafeHtml): SafeHtml {
  const { t } = page;
  const state = view.twoStep;
  const hasPasskey = view.passkeys.length > 0;
  const since = state.enrolledAt
    ? new Intl.DateTimeFormat(page.locale, { dateStyle: 'long' }).format(new Date(state.enrolledAt))
    : '';
  const twoStep = state.enabled
    ? html`<p>${t('security.twoStep.on', { date: since })}</p>
<p>${t('security.twoStep.codesLeft', { left: state.recoveryCodesLeft })}</p>
<h3>${t('security.twoStep.offTitle')}</h3>
<p>${t('security.twoStep.offIntro')}</p>
<form method="post" action="${PAGE_PATHS.twoStepOff}" novalidate>
${csrfField(page)}
${passwordField(page, 'off-password')}
${secondFactorFields(page, false)}
<button type="submit" class="danger">${t('security.twoStep.offSubmit')}</button>
${hasPasskey ? stepUpPasskey(page, 'disable', t('passkeys.stepUp.disable')) : ''}
</form>
<h3>${t('security.regenerate.title')}</h3>
<p>${t('security.regenerate.intro')}</p>
<form method="post" action="${PAGE_PATHS.recoveryCodesRegenerate}" novalidate>
${csrfField(page)}
${secondFactorFields(page, false, 'new-')}
<button type="submit">${t('security.regenerate.submit')}</button>
${hasPasskey ? stepUpPasskey(page, 'regenerate', t('passkeys.stepUp.regenerate')) : ''}
</form>`
    : html`<p>${t('security.twoStep.off')}</p>
<p>${t('security.twoStep.why')}</p>
<form method="post" action="${PAGE_PATHS.twoStepStart}">
${csrfField(page)}
<button type="submit">${t('security.twoStep.start')}</button>
</form>`;
  return html`${message ?? ''}
<p>${t('security.intro')}</p>
<section aria-labelledby="two-step-title">
<h2 id="two-step-title">${t('security.twoStep.title')}</h2>
${twoStep}
</section>
${passkeysSection(page, view.passkeys)}
${changePasswordSection(page, state.enabled, hasPasskey)}
${sessionsSection(page, view.sessions, currentId)}
${activitySection(page, view.activity)}
${stolenSection(page)}
<p><a href="${PAGE_PATHS.help}">${t('security.help')}</a></p>`;
}

/**
 * Auth wants proof that the customer is still the one at the keyboard: the password, on this page,
 * posted to `action` again (with a fresh second factor when the change needs one too).
 */
export function stepUpPage(
  page: PageContext,
  input: { action: string; secondFactor?: boolean; message?: SafeHtml | undefined },
): SafeHtml {
  const { t } = page;
  return html`${input.message ?? ''}
<p>${t('security.stepUp.why')}</p>
<form method="post" action="${input.action}" novalidate>
${csrfField(page)}
${passwordField(page, 'password')}
${input.secondFactor ? secondFactorFields(page, false) : ''}
<button type="submit">${t('security.stepUp.submit')}</button>
</form>
<p><a href="${PORTAL_PATHS.security}">${t('security.back')}</a></p>`;
}

const confirmForm = (page: PageContext): SafeHtml =>
  html`<form method="post" action="${PAGE_PATHS.twoStepConfirm}" novalidate>
${csrfField(page)}
<label for="code">${page.t('common.code')}</label>
<p class="hint" id="code-hint">${page.t('common.codeHint')}</p>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required aria-describedby="code-hint">
<button type="submit">${page.t('security.enrol.confirm')}</button>
</form>`;

/** Enrolment: the QR code to scan, the same secret in text, and the code that confirms it. */
export function enrolmentPage(page: PageContext, input: { qrCode: string; secret: string }): SafeHtml {
  const { t } = page;
  return html`<ol class="steps">
<li>${t('security.enrol.install')}</li>
<li>${t('security.enrol.scan')}
<img class="qr" id="qr-code" src="${input.qrCode}" width="246" height="246" alt="${t('security.enrol.qrAlt')}"></li>
<li>${t('security.enrol.typeInstead')}
<p class="secret" id="secret" lang="en">${input.secret}</p></li>
<li>${t('security.enrol.enterCode')}</li>
</ol>
${confirmForm(page)}`;
}

/** A code that did not confirm the enrolment: try another, or start again with a new QR code. */
export function confirmAgainPage(page: PageContext, message: SafeHtml): SafeHtml {
  return html`${message}
${confirmForm(page)}
<form method="post" action="${PAGE_PATHS.twoStepStart}">
${csrfField(page)}
<button type="submit" class="secondary">${page.t('security.enrol.restart')}</button>
</form>`;
}

/** The recovery codes, shown this once: keep them (download or print), then back to the page. */
export function recoveryCodesPage(page: PageContext, codes: readonly string[]): SafeHtml {
  const { t } = page;
  return html`<p>${t('security.codes.intro')}</p>
<ol class="codes" id="recovery-codes" lang="en">${codes.map((code) => html`<li>${code}</li>`)}</ol>
<p class="print-only">${t('security.codes.printNote')}</p>
<div class="actions">
<form method="post" action="${PAGE_PATHS.recoveryCodesDownload}">
${csrfField(page)}<input type="hidden" name="codes" value="${codes.join(' ')}">
<button type="submit">${t('security.codes.download')}</button>
</form>
<button type="button" data-print hidden>${t('security.codes.print')}</button>
</div>
<p><a href="${PORTAL_PATHS.security}">${t('security.codes.done')}</a></p>`;
}
