import type { SupportedLocale } from '@wallet-guard/i18n';
import type { i18n as I18n, TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type Formatters, formattersFor } from './format';

/** What a component needs to speak the agent's language: the strict `t`, the locale, and its formats. */
export interface Words {
  t: TFunction;
  i18n: I18n;
  locale: SupportedLocale;
  format: Formatters;
}

/** The console's words in the current language; re-renders the component when the agent switches. */
export function useWords(): Words {
  const { t, i18n } = useTranslation();
  // The instance only ever holds a supported locale (createConsoleI18n's supportedLngs).
  const locale = i18n.language as SupportedLocale;
  return { t, i18n, locale, format: formattersFor(locale) };
}
