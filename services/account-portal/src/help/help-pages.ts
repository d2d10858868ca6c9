import type { PortalConfig } from '@wallet-guard/config';
import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { PAGE_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import type { PageContext } from '../web/page-context';

/** The guide's topics, in the order a worried customer needs them; each has a title and a body. */
const GUIDE = ['passwords', 'twoStep', 'lockedOut', 'robbed', 'phishing'] as const;

/**
 * The help page: a short security guide, then how to reach support. Signed in, the portal's own
 * forms come first (the cases page); signed out, a sign-in link. The e-mail and phone channels are
 * the operator's (`PORTAL_SUPPORT_EMAIL`, `PORTAL_SUPPORT_PHONE_HOURS`), shown as configured and
 * only when configured.
 */
export function helpPage(page: PageContext, support: PortalConfig['support']): SafeHtml {
  const { t } = page;
  const channels = [
    page.signedIn
      ? html`<li>${t('help.contact.inApp')} <a href="${PORTAL_PATHS.cases}">${t('help.contact.inAppLink')}</a></li>`
      : html`<li>${t('help.contact.signInFirst')} <a href="${PAGE_PATHS.signIn}">${t('common.signInLink')}</a></li>`,
    support.email
      ? html`<li>${t('help.contact.email')} <a href="mailto:${support.email}">${support.email}</a></li>`
      : '',
    support.phoneHours ? html`<li>${t('help.contact.phone')} ${support.phoneHours}</li>` : '',
  ];
  return html`<p>${t('help.intro')}</p>
<section aria-labelledby="guide-title">
<h2 id="guide-title">${t('help.guide.title')}</h2>
${GUIDE.map(
  (topic) => html`<h3 id="guide-${topic}">${t(`help.guide.${topic}.title`)}</h3>
<p>${t(`help.guide.${topic}.body`)}</p>`,
)}
<p><a href="${PORTAL_PATHS.security}">${t('help.guide.securityLink')}</a></p>
</section>
<section aria-labelledby="contact-title">
<h2 id="contact-title">${t('help.contact.title')}</h2>
<ul class="channels">${channels}</ul>
<p class="hint">${t('help.contact.neverAsk')}</p>
</section>`;
}
