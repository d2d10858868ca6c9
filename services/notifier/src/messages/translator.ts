import i18next, { type Resource, type TOptions } from 'i18next';
import type { SupportedLocale } from './locale';
import { SUPPORTED_LOCALES } from './locale';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };
import { MessageError } from './render-errors';

/** One language's strings, nested as in `locales/*.json`. */
export interface ResourceTree {
  [key: string]: string | ResourceTree;
}

/** The copy every message is written from, one JSON file per supported locale. */
export const BUNDLED_RESOURCES: Record<SupportedLocale, ResourceTree> = { en, 'zh-CN': zhCN };

/** Looks up one string in one locale; throws instead of returning a key or an empty hole. */
export type Translate = (locale: SupportedLocale, key: string, values?: TOptions) => string;

/**
 * An i18next instance over `resources`, strict: a key missing in the requested locale, or a
 * `{{value}}` the caller did not pass, throws `MessageError` NOTIFIER_MISSING_TRANSLATION rather
 * than sending the key name, an English fallback or a hole to a customer. There is deliberately no
 * fallback language: tests render every kind in every locale, so a missing key fails there.
 * `productName` is available to every string as `{{productName}}`. Resolves once initialised;
 * the returned function is synchronous.
 */
export async function createTranslator(
  resources: Record<SupportedLocale, ResourceTree>,
  productName: string,
): Promise<Translate> {
  const i18n = i18next.createInstance();
  const bundles: Resource = {};
  for (const locale of SUPPORTED_LOCALES) bundles[locale] = { translation: resources[locale] };
  await i18n.init({
    resources: bundles,
    lng: 'en',
    supportedLngs: [...SUPPORTED_LOCALES],
    fallbackLng: false,
    // zh-CN is looked up as zh-CN only, never as "zh" (which we do not have).
    load: 'currentOnly',
    initAsync: false,
    saveMissing: true,
    saveMissingTo: 'current',
    missingKeyHandler: (lngs, _ns, key) => {
      throw new MessageError('NOTIFIER_MISSING_TRANSLATION', `no "${key}" in ${lngs.join(',')}`);
    },
    missingInterpolationHandler: (_text: string, match: unknown) => {
      const placeholder = Array.isArray(match) ? String(match[0]) : 'a value';
      throw new MessageError('NOTIFIER_MISSING_TRANSLATION', `no value for ${placeholder}`);
    },
    interpolation: {
      // Values go into text and subjects as they are; the HTML layout escapes everything it inserts.
      escapeValue: false,
      defaultVariables: { productName },
    },
  });
  const fixed = new Map(SUPPORTED_LOCALES.map((locale) => [locale, i18n.getFixedT(locale)] as const));
  return (locale, key, values) => {
    const t = fixed.get(locale);
    if (!t) throw new MessageError('NOTIFIER_MISSING_TRANSLATION', `unsupported locale ${locale}`);
    const text: unknown = t(key, values ?? {});
    if (typeof text !== 'string' || text === '') {
      throw new MessageError('NOTIFIER_MISSING_TRANSLATION', `"${key}" in ${locale} is not a string`);
    }
    return text;
  };
}
