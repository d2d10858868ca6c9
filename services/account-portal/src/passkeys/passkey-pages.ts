import { type AuthPasskeyView, PORTAL_PATHS } from '@wallet-guard/contracts';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { passkeyControl } from './passkey-control';

/** The longest passkey name the page takes (auth keeps names of up to 100 characters in its events). */
export const PASSKEY_NAME_MAX_LENGTH = 64;

const day = (page: PageContext, iso: string): string =>
  new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium' }).format(new Date(iso));

/**
 * Synced (backup eligible: the password manager keeps it on every device of the account) or
 * bound to the one device that made it (W3C WebAuthn Level 3 §6.1.3, flags BE and BS).
 */
const kindOf = (page: PageContext, passkey: AuthPasskeyView): string =>
  page.t(passkey.deviceType === 'multiDevice' ? 'passkeys.list.synced' : 'passkeys.list.deviceBound');

function item(page: PageContext, passkey: AuthPasskeyView): SafeHtml {
  const { t } = page;
  const id = passkey.id;
  const lastUsed = passkey.lastUsedAt
    ? t('passkeys.list.lastUsed', { date: day(page, passkey.lastUsedAt) })
    : t('passkeys.list.neverUsed');
  return html`<li class="passkey-item">
<p class="device" id="passkey-${id}">${passkey.name}</p>
<p class="hint">${kindOf(page, passkey)} · ${t('passkeys.list.created', { date: day(page, passkey.createdAt) })} · ${lastUsed}</p>
<form method="post" action="${PAGE_PATHS.passkeyRename}" class="rename" novalidate>
${csrfField(page)}<input type="hidden" name="passkeyId" value="${id}">
<label for="rename-${id}">${t('passkeys.list.newName')}</label>
<input id="rename-${id}" name="name" type="text" maxlength="${PASSKEY_NAME_MAX_LENGTH}" autocomplete="off" value="${passkey.name}">
<button type="submit" class="secondary" aria-describedby="passkey-${id}">${t('passkeys.list.rename')}</button>
</form>
<form method="post" action="${PAGE_PATHS.passkeyRemove}" novalidate>
${csrfField(page)}<input type="hidden" name="passkeyId" value="${id}">
<button type="submit" class="danger" aria-describedby="passkey-${id}">${t('passkeys.list.remove')}</button>
</form>
</li>`;
}

/**
 * The security page's passkeys: each with its name, synced or on one device, when it was added
 * and last used, rename and remove; then "add a passkey" (a name, the password when the sign-in
 * is not recent, and the button `passkeys.js` shows where the browser can make one).
 */
export function passkeysSection(page: PageContext, passkeys: readonly AuthPasskeyView[]): SafeHtml {
  const { t } = page;
  const add = html`<label for="passkey-name">${t('passkeys.add.name')}</label>
<p class="hint" id="passkey-name-hint">${t('passkeys.add.nameHint')}</p>
<input id="passkey-name" name="name" type="text" maxlength="${PASSKEY_NAME_MAX_LENGTH}" autocomplete="off" aria-describedby="passkey-name-hint">
<label for="passkey-password">${t('common.password')}</label>
<p class="hint" id="passkey-password-hint">${t('passkeys.add.passwordHint')}</p>
<input id="passkey-password" name="password" type="password" autocomplete="current-password" maxlength="1024" aria-describedby="passkey-password-hint">`;
  return html`<section aria-labelledby="passkeys-title">
<h2 id="passkeys-title">${t('passkeys.title')}</h2>
<p>${t('passkeys.intro')}</p>
${passkeys.length > 0 ? html`<p>${t('passkeys.asSecondStep')}</p>` : ''}
${
  passkeys.length > 0
    ? html`<ul class="passkeys">${passkeys.map((passkey) => item(page, passkey))}</ul>`
    : html`<p>${t('passkeys.list.none')}</p>`
}
<h3>${t('passkeys.add.title')}</h3>
<form method="post" action="${PAGE_PATHS.passkeyAdd}" novalidate>
${csrfField(page)}
${passkeyControl(page, {
  mode: 'register',
  optionsPath: SCRIPT_PATHS.passkeyRegistrationOptions,
  send: ['password'],
  intro: t('passkeys.add.intro'),
  fields: add,
  label: t('passkeys.add.button'),
  unsupported: t('passkeys.add.unsupported'),
})}
</form>
</section>`;
}

/**
 * Removing the account's last strong factor needs proof of a recent sign-in: the password, posted
 * with the passkey's id to the remove form again.
 */
export function removeStepUpPage(
  page: PageContext,
  input: { passkeyId: string; message?: SafeHtml | undefined },
): SafeHtml {
  const { t } = page;
  return html`${input.message ?? ''}
<p>${t('passkeys.remove.why')}</p>
<form method="post" action="${PAGE_PATHS.passkeyRemove}" novalidate>
${csrfField(page)}<input type="hidden" name="passkeyId" value="${input.passkeyId}">
<label for="password">${t('common.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit" class="danger">${t('passkeys.remove.submit')}</button>
</form>
<p><a href="${PORTAL_PATHS.security}">${t('security.back')}</a></p>`;
}

/**
 * A step-up's passkey button (password change, turning the authenticator app off, new recovery
 * codes) for an account with a passkey: the form's other fields go with the browser's answer.
 */
export const stepUpPasskey = (
  page: PageContext,
  purpose: 'password_change' | 'disable' | 'regenerate',
  label: string,
): SafeHtml =>
  passkeyControl(page, {
    mode: 'authenticate',
    optionsPath: SCRIPT_PATHS.passkeyStepUpOptions,
    body: { purpose },
    intro: page.t('passkeys.stepUp.intro'),
    label,
    secondary: true,
  });
