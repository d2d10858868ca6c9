/** The languages every message is written in; the first is the last resort. */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const DEFAULT_LOCALE: SupportedLocale = 'en';

/**
 * Lookup ranges -> supported locale, keyed by the supported tags with their likely subtags added
 * ("zh-CN" -> "zh-Hans-CN" and "zh-Hans"; "en" -> "en-Latn-US" and "en-Latn"). Keying on the
 * script is what keeps Traditional Chinese (zh-TW, zh-HK, zh-Hant) from being answered in
 * Simplified: their ranges are zh-Hant-*, which nothing here matches.
 */
const RANGES: ReadonlyMap<string, SupportedLocale> = (() => {
  const ranges = new Map<string, SupportedLocale>();
  for (const supported of SUPPORTED_LOCALES) {
    const { language, script, region } = new Intl.Locale(supported).maximize();
    for (const range of [`${language}-${script}-${region}`, `${language}-${script}`]) {
      if (!ranges.has(range)) ranges.set(range, supported);
    }
  }
  return ranges;
})();

/** Longer inputs are not a language someone chose; refused before parsing, so they cost nothing. */
const MAX_TAG_LENGTH = 64;

/**
 * The locale to write a message in, from the tag a user chose (registration, the case's locale).
 *
 * RFC 4647 §3.4 lookup over the tag with its likely script made explicit (`Intl.Locale#maximize`):
 * "zh-Hans-CN" -> zh-CN; "zh" (likely zh-Hans-CN) -> zh-CN; "zh-SG" (zh-Hans-SG -> zh-Hans) -> zh-CN;
 * "zh-TW", "zh-HK", "zh-Hant" (zh-Hant-*) -> en, because we have no Traditional Chinese and
 * Simplified is not what those readers asked for; "de-AT" -> "de" -> en; "en-GB" -> en.
 * Case-insensitive, `_` accepted for `-`, a POSIX suffix ("zh_CN.UTF-8") and Unicode extensions
 * ignored. Never throws: missing, empty, malformed or overlong (> 64 characters) input gives "en".
 */
export function negotiateLocale(requested: string | undefined | null): SupportedLocale {
  if (typeof requested !== 'string' || requested.length > MAX_TAG_LENGTH) return DEFAULT_LOCALE;
  // "zh_CN.UTF-8@pinyin" (POSIX) and "zh-CN;q=0.9" keep only their tag.
  const spelled = requested.split(/[.@;,\s]/, 1)[0]?.replaceAll('_', '-') ?? '';
  // RFC 5646 extended language subtags ("zh-cmn-Hans-CN"): Intl rejects them; the extlang alone
  // ("cmn-Hans-CN") is the preferred form of the same language.
  const tag = spelled.replace(/^[a-z]{2,3}-([a-z]{3})(?=-|$)/i, '$1');
  let locale: Intl.Locale;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical === undefined) return DEFAULT_LOCALE;
    locale = new Intl.Locale(canonical).maximize();
  } catch {
    // RangeError: not a well-formed BCP 47 tag.
    return DEFAULT_LOCALE;
  }
  const { language, script, region } = locale;
  for (const range of [`${language}-${script}-${region}`, `${language}-${script}`]) {
    const match = RANGES.get(range);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}
