import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import { html, type SafeHtml } from './html';
import type { PageContext } from './page-context';

/**
 * The strict policy of every page: our own script and style only, no inline code, no framing.
 * Images may be `data:` URIs: the two-step QR code is drawn server-side into one, so its secret
 * never sits behind a URL another request could fetch.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The hidden CSRF field every form starts with. */
export const csrfField = (page: PageContext): SafeHtml => html`<input type="hidden" name="_csrf" value="${page.csrf}">`;

/** Names each language in itself, so a reader finds their own whatever the page's language. */
const LANGUAGE_NAMES: Record<(typeof SUPPORTED_LOCALES)[number], string> = { en: 'English', 'zh-CN': '简体中文' };

function languageSwitcher(page: PageContext): SafeHtml {
  return html`<form class="languages" method="post" action="/language">
    ${csrfField(page)}<input type="hidden" name="back" value="${page.path}">
    <span id="language-label">${page.t('layout.language')}</span>
    ${SUPPORTED_LOCALES.map(
      (locale) =>
        html`<button type="submit" name="lang" value="${locale}" lang="${locale}" aria-describedby="language-label"${
          locale === page.locale ? html` aria-current="true"` : ''
        }>${LANGUAGE_NAMES[locale]}</button>`,
    )}
  </form>`;
}

/**
 * A whole page: the header (product, language switcher, the account link when signed in), the
 * `main` landmark with a level-one heading, one stylesheet and two deferred scripts (the page's
 * and the passkey buttons'), all ours.
 */
export function layout(page: PageContext, title: string, body: SafeHtml): string {
  const { t } = page;
  return `<!doctype html>${html`<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${t('layout.product')}</title>
<link rel="stylesheet" href="/assets/portal.css">
<script src="/assets/portal.js" defer></script>
<script src="/assets/passkeys.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('layout.skip')}</a>
<header>
<p class="product">${t('layout.product')}</p>
${page.signedIn ? html`<a href="/account">${t('layout.account')}</a>` : ''}
${languageSwitcher(page)}
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer><p>${t('layout.neverAsk')}</p></footer>
</body>
</html>`}`;
}

/** A paragraph announced to screen readers: `status` for good news, `alert` for a refusal. */
export const notice = (kind: 'status' | 'alert', text: string | SafeHtml): SafeHtml =>
  html`<p class="notice ${kind}" role="${kind}">${text}</p>`;
