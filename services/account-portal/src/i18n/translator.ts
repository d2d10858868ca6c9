import { createStrictTranslators, type ResourceTree, type SupportedLocale, type Translate } from '@wallet-guard/i18n';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

export type { ResourceTree, Translate };

/** Every page's copy, one JSON file per supported locale. */
export const BUNDLED_RESOURCES: Record<SupportedLocale, ResourceTree> = { en, 'zh-CN': zhCN };

/** A missing string or value: a defect a test finds, never a page a customer sees half-written. */
export class MissingTranslationError extends Error {
  override name = 'MissingTranslationError';
}

/**
 * The strict translators of `@wallet-guard/i18n` (the notifier's too) over `resources`: a key
 * missing in the requested locale, or a `{{value}}` the caller did not pass, throws
 * `MissingTranslationError`. The tests render every page in every locale. Values are inserted
 * unescaped; the page templates escape everything they insert.
 */
export const createTranslators = (
  resources: Record<SupportedLocale, ResourceTree>,
  productName: string,
): Promise<(locale: SupportedLocale) => Translate> =>
  createStrictTranslators({ resources, productName, missing: (reason) => new MissingTranslationError(reason) });
