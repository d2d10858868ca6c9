import { type CustomerCaseView, PORTAL_PATHS } from '@wallet-guard/contracts';
import { html, type SafeHtml } from '../web/html';
import { csrfField } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { CUSTOMER_STATUS } from './case-words';

/** The satisfaction scale, 1 (very dissatisfied) to 5 (very satisfied), as support-cases stores it. */
const RATINGS = [1, 2, 3, 4, 5] as const;

/** A rating from a form or a link: one of 1-5, else undefined. */
export const ratingOf = (value: string | undefined): number | undefined =>
  RATINGS.find((r) => String(r) === value?.trim());

/** Where a case's rating form posts (and where the e-mail's links land, with `?rating=`). */
export const satisfactionHref = (caseNumber: string) =>
  `${PORTAL_PATHS.cases}/${caseNumber}${PORTAL_PATHS.satisfaction}`;

/**
 * "How did we do?" on a resolved request support asked a rating for: one button per rating, so a
 * single tap sends it, with an optional comment above them. `chosen` is the rating picked in the
 * e-mail (the link lands here): that button is marked and focused, one tap still sends it. Once
 * answered, the page thanks the customer with their rating; once expired, it says so. Nothing for a
 * request that asks no rating or is not resolved (a reopened one).
 */
export function satisfactionSection(page: PageContext, c: CustomerCaseView, chosen?: number): SafeHtml | '' {
  const { t } = page;
  const asked = c.satisfaction;
  if (!asked || CUSTOMER_STATUS[c.status] !== 'resolved') return '';
  const section = (body: SafeHtml) =>
    html`<section aria-labelledby="rating-title"><h2 id="rating-title">${t('cases.satisfaction.title')}</h2>${body}</section>`;
  if (asked.state === 'answered' && asked.rating !== null) {
    return section(
      html`<p class="notice status" role="status">${t('cases.satisfaction.thanks', { rating: t(`cases.satisfaction.choices.${asked.rating}`) })}</p>`,
    );
  }
  if (asked.state !== 'asked') return section(html`<p>${t('cases.satisfaction.expired')}</p>`);
  const button = (rating: number) =>
    html`<button type="submit" name="rating" value="${String(rating)}"${rating === chosen ? html` class="chosen" aria-describedby="rating-chosen" autofocus` : html` class="secondary"`}>${t(`cases.satisfaction.choices.${rating}`)}</button>`;
  return section(html`<form method="post" action="${satisfactionHref(c.caseNumber)}" novalidate>
${csrfField(page)}
${chosen === undefined ? '' : html`<p id="rating-chosen" class="notice status" role="status">${t('cases.satisfaction.chosen', { rating: t(`cases.satisfaction.choices.${chosen}`) })}</p>`}
<label for="rating-comment">${t('cases.satisfaction.comment')}</label>
<textarea id="rating-comment" name="comment" rows="3" maxlength="2000"></textarea>
<fieldset class="ratings">
<legend>${t('cases.satisfaction.question')}</legend>
${RATINGS.map(button)}
</fieldset>
<p class="hint">${t('cases.satisfaction.once')}</p>
</form>`);
}

/** Where a sign-in may return to for a rating: a request's rating form, with a rating or without. */
export const RATING_RETURN_TO = new RegExp(
  `^${PORTAL_PATHS.cases}/CASE-\\d{6,12}${PORTAL_PATHS.satisfaction}(?:\\?rating=[1-5])?$`,
);
