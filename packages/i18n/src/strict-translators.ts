import i18next, { type Resource, type TOptions } from 'i18next';
import { SUPPORTED_LOCALES, type SupportedLocale } from './locale';

/** One language's strings, nested as in a `locales/*.json` file. */
export interface ResourceTree {
  [key: string]: string | ResourceTree;
}

/** Looks up one string in one locale; throws instead of returning a key name, a fallback or a hole. */
export type Translate = (key: string, values?: TOptions) => string;

/**
 * An i18next instance over `resources`, strict: a key missing in the requested locale, an empty
 * string, or a `{{value}}` the caller did not pass throws `missing(reason)` rather than showing a
 * customer or an agent the key name, an English fallback or a hole. There is deliberately no
 * fallback language (each service's tests render every page or message in every locale, so a
 * missing key fails there), and "zh-CN" is looked up as zh-CN only, never as "zh". Values are
 * inserted unescaped: the caller's templates escape what they insert. `productName` is available
 * to every string as `{{productName}}`. Resolves once initialised; the translators are synchronous.
 */
export async function createStrictTranslators(options: {
  resources: Record<SupportedLocale, ResourceTree>;
  productName: string;
  missing: (reason: string) => Error;
}): Promise<(locale: SupportedLocale) => Translate> {
  const { missing } = options;
  const i18n = i18next.createInstance();
  const bundles: Resource = {};
  for (const locale of SUPPORTED_LOCALES) bundles[locale] = { translation: options.resources[locale] };
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
      throw missing(`no "${key}" in ${lngs.join(',')}`);
    },
    missingInterpolationHandler: (_text: string, match: unknown) => {
      const placeholder = Array.isArray(match) ? String(match[0]) : 'a value';
      throw missing(`no value for ${placeholder}`);
    },
    interpolation: { escapeValue: false, defaultVariables: { productName: options.productName } },
  });
  const translators = new Map(
    SUPPORTED_LOCALES.map((locale) => {
      const t = i18n.getFixedT(locale);
      const translate: Translate = (key, values) => {
        const text: unknown = t(key, values ?? {});
        if (typeof text !== 'string' || text === '') throw missing(`"${key}" in ${locale} is not a string`);
        return text;
      };
      return [locale, translate] as const;
    }),
  );
  return (locale) => {
    const translate = translators.get(locale);
    if (!translate) throw missing(`unsupported locale ${locale}`);
    return translate;
  };
}
