import type { SecurityEvent } from '@wallet-guard/contracts';
import { html, type SafeHtml } from '../web/html';
import type { PageContext } from '../web/page-context';
import { deviceOf } from './device';

/** How many events the security page lists: the latest, enough to spot something odd. */
export const RECENT_ACTIVITY_LIMIT = 20;

// The events a customer caused or must know about, in words; any other type (new ones too) gets
// the generic wording, so a new event in auth never breaks the page.
const WORDS: Partial<Record<SecurityEvent['type'], string>> = {
  'sign_in.succeeded': 'signInSucceeded',
  'sign_in.failed': 'signInFailed',
  'account.locked': 'locked',
  'account.unlocked': 'unlocked',
  'password.changed': 'passwordChanged',
  'password.reset': 'passwordReset',
  'totp.enabled': 'twoStepOn',
  'totp.disabled': 'twoStepOff',
  'recovery_codes.regenerated': 'recoveryCodesRegenerated',
  'account.frozen': 'frozen',
  'account.unfrozen': 'unfrozen',
  'passkey.registered': 'passkeyAdded',
  'passkey.removed': 'passkeyRemoved',
  'passkey.counter_regressed': 'passkeyCloned',
  'payment_confirmation.approved': 'paymentApproved',
  'payment_confirmation.refused': 'paymentRefused',
  'payment_confirmation.abandoned': 'paymentAbandoned',
};

function flags(page: PageContext, event: SecurityEvent): string[] {
  if (event.type !== 'sign_in.succeeded') return [];
  return [
    ...(event.payload.newDevice ? [page.t('security.activity.newDevice')] : []),
    ...(event.payload.newIp ? [page.t('security.activity.newIp')] : []),
  ];
}

function where(page: PageContext, event: SecurityEvent): string[] {
  const { ip, userAgent } = event.payload.context;
  const { browser, system } = deviceOf(userAgent ?? null);
  const device =
    browser && system ? page.t('security.sessions.device', { browser, system }) : (browser ?? system ?? undefined);
  return [
    ...(device ? [page.t('security.activity.device', { device })] : []),
    ...(ip ? [page.t('security.activity.ip', { ip })] : []),
  ];
}

/**
 * The account's latest security events (newest first, as auth answers them): what happened in the
 * page's language, when (in the page's language too), the device and IP when auth knows them, and
 * a sign-in from a new device or IP marked as such.
 */
export function activitySection(page: PageContext, events: readonly SecurityEvent[]): SafeHtml {
  const { t } = page;
  const format = new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short' });
  const item = (event: SecurityEvent) => {
    const marks = flags(page, event);
    const details = where(page, event);
    return html`<li class="event${event.type === 'sign_in.failed' ? ' failed' : ''}">
<p class="what">${t(`security.activity.types.${WORDS[event.type] ?? 'other'}`)}${marks.map((mark) => html` <strong class="flag">${mark}</strong>`)}</p>
<p class="hint"><time datetime="${event.occurredAt}">${format.format(new Date(event.occurredAt))}</time>${details.map((d) => html` · ${d}`)}</p>
</li>`;
  };
  return html`<section aria-labelledby="activity-title">
<h2 id="activity-title">${t('security.activity.title')}</h2>
<p>${t('security.activity.intro')}</p>
${events.length > 0 ? html`<ul class="activity">${events.map(item)}</ul>` : html`<p>${t('security.activity.none')}</p>`}
</section>`;
}
