// The console's i18next instance in the browser: react-i18next re-renders on a language change,
// and the document follows the language (`<html lang>` for screen readers, fonts and hyphenation;
// the tab's title).
import type { i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { createConsoleI18n, initialLocale } from './console-i18n';

/** Starts in the browser's language (the agent's saved choice applies once they are signed in). */
export function startConsoleI18n(): I18n {
  const i18n = createConsoleI18n(initialLocale(null, navigator.languages), [initReactI18next]);
  const follow = () => {
    document.documentElement.lang = i18n.language;
    document.title = i18n.t('app.title');
  };
  i18n.on('languageChanged', follow);
  follow();
  return i18n;
}
