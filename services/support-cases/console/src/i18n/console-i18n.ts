// The console's words in every language it speaks: i18next, as in the portal and the notifier
// (@wallet-guard/i18n), over one JSON file per locale. Plain i18next here, no React and no DOM, so
// the tests can load exactly what the browser runs; `react-binding.ts` connects it to React.
import {
  DEFAULT_LOCALE,
  matchLocale,
  type ResourceTree,
  SUPPORTED_LOCALES,
  type SupportedLocale,
} from '@wallet-guard/i18n';
import i18next, { type i18n as I18n, type Module, type Resource } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

/** Every word of the console, one tree per supported locale (`src/i18n/locales/*.json`). */
export const CONSOLE_RESOURCES: Record<SupportedLocale, ResourceTree> = { en, 'zh-CN': zhCN };

/** A key or a `{{value}}` missing in the current language: a defect, never a key name on screen. */
export class MissingTranslationError extends Error {
  override name = 'MissingTranslationError';
}

/**
 * An i18next instance in `locale`, strict like `createStrictTranslators` of @wallet-guard/i18n: a
 * key missing in the current language or a `{{value}}` the caller did not pass throws
 * `MissingTranslationError` (no fallback language, no key name, no hole), so a gap breaks the page
 * where a test sees it instead of showing an agent "caseType.x". Ready when it returns (the
 * resources are bundled, nothing loads). `plugins` are i18next modules such as react-i18next's.
 * Values are inserted unescaped: React escapes what it renders.
 */
export function createConsoleI18n(
  locale: SupportedLocale,
  plugins: Module[] = [],
  resources: Record<SupportedLocale, ResourceTree> = CONSOLE_RESOURCES,
): I18n {
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  const bundles: Resource = {};
  for (const supported of SUPPORTED_LOCALES) bundles[supported] = { translation: resources[supported] };
  void instance.init({
    resources: bundles,
    lng: locale,
    supportedLngs: [...SUPPORTED_LOCALES],
    fallbackLng: false,
    load: 'currentOnly',
    initAsync: false,
    saveMissing: true,
    saveMissingTo: 'current',
    missingKeyHandler: (lngs, _ns, key) => {
      throw new MissingTranslationError(`no "${key}" in ${lngs.join(',')}`);
    },
    missingInterpolationHandler: (_text: string, match: unknown) => {
      const placeholder = Array.isArray(match) ? String(match[0]) : 'a value';
      throw new MissingTranslationError(`no value for ${placeholder}`);
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  return instance;
}

/**
 * The console's language before the agent chose one: the first of the browser's languages
 * (`navigator.languages`, most preferred first) that matches a supported locale (RFC 4647 lookup,
 * `matchLocale`: "zh-Hans-CN", "zh-SG" -> zh-CN; "zh-TW" -> none), else English. A choice the
 * agent saved (`agent.locale`) wins over both. Never throws.
 */
export function initialLocale(
  saved: string | null | undefined,
  browserLanguages: readonly string[] | undefined,
): SupportedLocale {
  const chosen = matchLocale(saved);
  if (chosen) return chosen;
  for (const tag of browserLanguages ?? []) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

/**
 * The words for a code from an open-ended set (a monitor rule, a security event type, a timeline
 * entry kind, an error code) when this console knows it, else `fallback(code)`: a server newer
 * than the console may send a code it has no words for, and then the code itself is the most
 * honest thing to show. Closed sets (the contracts' enums) use `t` directly and are all covered
 * by tests/console/locales.test.ts.
 */
export function wordsOr(i18n: I18n, key: string, fallback: string): string {
  const value: unknown = i18n.getResource(i18n.language, 'translation', key);
  return typeof value === 'string' && value !== '' ? value : fallback;
}
