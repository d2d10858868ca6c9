import i18next, { type Resource, type TOptions } from 'i18next';
import { SUPPORTED_LOCALES, type SupportedLocale } from './locale';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

/** One language's strings, nested as in `locales/*.json`. */
export interface ResourceTree {
  [key: string]: string | ResourceTree;
}

/** Every page's copy, one JSON file per supported locale. */
export const BUNDLED_RESOURCES: Record<SupportedLocale, ResourceTree> = { en, 'zh-CN': zhCN };

/** Looks up one string; throws instead of showing a key name, an English fallback or a hole. */
export type Translate = (key: string, values?: TOptions) => string;

/** A missing string or value: a defect a test finds, never a page a customer sees half-written. */
export class MissingTranslationError extends Error {
  override name = 'MissingTranslationError';
}

/**
 * An i18next instance over `resources`, strict like the notifier's: a key missing in the requested
 * locale, or a `{{value}}` the caller did not pass, throws `MissingTranslationError`. There is no
 * fallback language on purpose: the tests render every page in every locale. Values are inserted
 * unescaped; the page templates escape everything they insert. Returns the translator of a locale.
 */
export async function createTranslators(
  resources: Record<SupportedLocale, ResourceTree>,
  productName: string,
): Promise<(locale: SupportedLocale) => Translate> {
  const i18n = i18next.createInstance();
  const bundles: Resource = {};
  for (const locale of SUPPORTED_LOCALES) bundles[locale] = { translation: resources[locale] };
  await i18n.init({
    resources: bundles,
    lng: 'en',
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
    interpolation: { escapeValue: false, defaultVariables: { productName } },
  });
  const translators = new Map(
    SUPPORTED_LOCALES.map((locale) => {
      const t = i18n.getFixedT(locale);
      const translate: Translate = (key, values) => {
        const text: unknown = t(key, values ?? {});
        if (typeof text !== 'string' || text === '') {
          throw new MissingTranslationError(`"${key}" in ${locale} is not a string`);
        }
        return text;
      };
      return [locale, translate] as const;
    }),
  );
  return (locale) => {
    const translate = translators.get(locale);
    if (!translate) throw new MissingTranslationError(`unsupported locale ${locale}`);
    return translate;
  };
}
