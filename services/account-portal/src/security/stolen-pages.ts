import { PAGE_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';

/** "My account was stolen": what freezing does (the words of the e-mail link's page), then one button. */
export const stolenSection = (page: PageContext): SafeHtml =>
  html`<section aria-labelledby="stolen-title">
<h2 id="stolen-title">${page.t('security.stolen.title')}</h2>
<p>${page.t('security.stolen.intro')}</p>
<ul><li>${page.t('freeze.effectSessions')}</li><li>${page.t('freeze.effectSignIn')}</li></ul>
<form method="post" action="${PAGE_PATHS.freezeOwnAccount}">
${csrfField(page)}
<button type="submit" class="danger">${page.t('security.stolen.submit')}</button>
</form>
</section>`;
