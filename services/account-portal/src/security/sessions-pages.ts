import type { AuthUserSession } from '@wallet-guard/contracts';
import { PAGE_PATHS } from '../route-conventions';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { deviceOf } from './device';

const when = (page: PageContext, iso: string): string =>
  new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

function deviceName(page: PageContext, userAgent: string | null): string {
  const { browser, system } = deviceOf(userAgent);
  if (browser && system) return page.t('security.sessions.device', { browser, system });
  return browser ?? system ?? page.t('security.sessions.unknownDevice');
}

/**
 * The account's sessions: device (from the user agent), IP, when; this browser's marked and
 * without a button (signing out is on the account page); every other one can be ended.
 */
export function sessionsSection(page: PageContext, sessions: readonly AuthUserSession[], currentId: string): SafeHtml {
  const { t } = page;
  const isCurrent = (s: AuthUserSession) => s.current || s.id === currentId;
  const others = sessions.filter((s) => !isCurrent(s));
  const item = (s: AuthUserSession) => html`<li class="session${isCurrent(s) ? ' current' : ''}">
<p class="device">${deviceName(page, s.userAgent)}${isCurrent(s) ? html` <strong class="this-device">${t('security.sessions.thisDevice')}</strong>` : ''}</p>
<p class="hint">${t('security.sessions.ip', { ip: s.ip ?? t('security.sessions.unknownIp') })} · ${t('security.sessions.lastUsed', { when: when(page, s.lastUsedAt) })}</p>
${
  isCurrent(s)
    ? ''
    : html`<form method="post" action="${PAGE_PATHS.sessionRevoke}">
${csrfField(page)}<input type="hidden" name="sessionId" value="${s.id}">
<button type="submit" class="secondary" aria-describedby="session-${s.id}">${t('security.sessions.revoke')}</button>
<span id="session-${s.id}" hidden>${deviceName(page, s.userAgent)}</span>
</form>`
}
</li>`;
  return html`<section aria-labelledby="sessions-title">
<h2 id="sessions-title">${t('security.sessions.title')}</h2>
<p>${t('security.sessions.intro')}</p>
<ul class="sessions">${sessions.map(item)}</ul>
${
  others.length > 0
    ? html`<form method="post" action="${PAGE_PATHS.sessionsRevokeOthers}">
${csrfField(page)}
<button type="submit" class="danger">${t('security.sessions.revokeOthers')}</button>
</form>`
    : html`<p>${t('security.sessions.onlyThis')}</p>`
}
</section>`;
}
