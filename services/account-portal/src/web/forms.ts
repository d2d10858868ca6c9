import { z } from 'zod';
import { html, type SafeHtml } from './html';
import type { PageContext } from './page-context';

/**
 * A form field as browsers post it: absent, or text bounded so a huge value costs nothing; blank
 * (spaces only) counts as absent. Pages validate what they need and answer in words, so the
 * route schema never refuses a form with a JSON error.
 */
export const formText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** Every form carries this session's CSRF token (checked before the handler runs). */
export const csrfBody = { _csrf: z.string().max(200).optional() };

/** The hidden field the page's script fills from the link's `#token=` fragment. */
export const fragmentTokenField = (page: PageContext): SafeHtml =>
  html`<input type="hidden" name="token" value="" data-token-from-fragment>
<p id="token-missing" class="notice alert" role="alert" hidden>${page.t('common.tokenMissing')}</p>
<noscript><p class="notice alert">${page.t('common.tokenMissing')}</p></noscript>`;

/** The authenticator code and recovery code fields (the second step, unlock and reset). */
/** `idPrefix` keeps the ids apart when one page has two such forms (the security page). */
export const secondFactorFields = (page: PageContext, required: boolean, idPrefix = ''): SafeHtml =>
  html`<label for="${idPrefix}code">${page.t('common.code')}</label>
<p class="hint" id="${idPrefix}code-hint">${page.t('common.codeHint')}</p>
<input id="${idPrefix}code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" aria-describedby="${idPrefix}code-hint"${
    required ? html` autofocus` : ''
  }>
<label for="${idPrefix}recoveryCode">${page.t('common.recoveryCode')}</label>
<p class="hint" id="${idPrefix}recovery-hint">${page.t('common.recoveryHint')}</p>
<input id="${idPrefix}recoveryCode" name="recoveryCode" type="text" autocomplete="off" spellcheck="false" maxlength="32" aria-describedby="${idPrefix}recovery-hint">`;

/** The proof auth takes: an authenticator code, else a recovery code; both absent is none. */
export function secondFactorOf(body: { code?: string | undefined; recoveryCode?: string | undefined }): {
  code?: string;
  recoveryCode?: string;
} {
  const code = body.code?.replace(/\s/g, '');
  if (code) return { code };
  const recoveryCode = body.recoveryCode?.trim();
  return recoveryCode ? { recoveryCode } : {};
}
