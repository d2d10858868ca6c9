import {
  DEFAULT_LOCALE,
  fromAcceptLanguage,
  isSupportedLocale,
  matchLocale,
  type SupportedLocale,
} from '@wallet-guard/i18n';

/**
 * The language of a page: the `lang` cookie the switcher set, then the account's language (when
 * the portal knows it), then `Accept-Language` (RFC 9110 §12.5.4), then English. Matching is
 * `@wallet-guard/i18n`'s, the notifier's too, so a customer reads pages and e-mails in one language.
 */
export function chooseLocale(input: {
  cookie: string | undefined;
  account?: string | undefined;
  acceptLanguage: string | undefined;
}): SupportedLocale {
  if (isSupportedLocale(input.cookie)) return input.cookie;
  return matchLocale(input.account) ?? fromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
}
