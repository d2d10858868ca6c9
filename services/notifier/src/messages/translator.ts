import { createStrictTranslators, type ResourceTree, type SupportedLocale } from '@wallet-guard/i18n';
import type { TOptions } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };
import { MessageError } from './render-errors';

export type { ResourceTree };

/** The copy every message is written from, one JSON file per supported locale. */
export const BUNDLED_RESOURCES: Record<SupportedLocale, ResourceTree> = { en, 'zh-CN': zhCN };

/** Looks up one string in one locale; throws instead of returning a key or an empty hole. */
export type Translate = (locale: SupportedLocale, key: string, values?: TOptions) => string;

/**
 * The strict translators of `@wallet-guard/i18n` over `resources`: a key missing in the requested
 * locale, or a `{{value}}` the caller did not pass, throws `MessageError`
 * NOTIFIER_MISSING_TRANSLATION rather than sending the key name, an English fallback or a hole to
 * a customer. Tests render every kind in every locale, so a missing key fails there.
 */
export async function createTranslator(
  resources: Record<SupportedLocale, ResourceTree>,
  productName: string,
): Promise<Translate> {
  const translators = await createStrictTranslators({
    resources,
    productName,
    missing: (reason) => new MessageError('NOTIFIER_MISSING_TRANSLATION', reason),
  });
  return (locale, key, values) => translators(locale)(key, values);
}
