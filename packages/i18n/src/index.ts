export {
  DEFAULT_LOCALE,
  fromAcceptLanguage,
  isSupportedLocale,
  matchLocale,
  negotiateLocale,
  SUPPORTED_LOCALES,
  type SupportedLocale,
} from './locale';
export { createStrictTranslators, type ResourceTree, type Translate } from './strict-translators';
