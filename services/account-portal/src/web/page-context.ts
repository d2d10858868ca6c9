import type { SupportedLocale } from '@wallet-guard/i18n';
import type { Translate } from '../i18n/translator';

/** What every page is rendered with: its language, its strings and the form token of this session. */
export interface PageContext {
  locale: SupportedLocale;
  t: Translate;
  /** The CSRF token every form carries (`_csrf`). */
  csrf: string;
  /** The page's own path: the language switcher comes back here. */
  path: string;
  /** Set when someone is signed in: the header offers the account page. */
  signedIn: boolean;
}
