/** The languages every page and message is written in; the first is the last resort. */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const DEFAULT_LOCALE: SupportedLocale = 'en';

export const isSupportedLocale = (value: unknown): value is SupportedLocale =>
  typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);

/**
 * Lookup ranges -> supported locale, keyed by the supported tags with their likely subtags added
 * ("zh-CN" -> "zh-Hans-CN" and "zh-Hans"; "en" -> "en-Latn-US" and "en-Latn"). Keying on the
 * script is what keeps Traditional Chinese (zh-TW, zh-HK, zh-Hant: ranges zh-Hant-*) from being
 * answered in Simplified.
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
 * The supported locale one BCP 47 tag asks for, or undefined when it asks for none of ours.
 *
 * RFC 4647 §3.4 lookup over the tag with its likely script made explicit (`Intl.Locale#maximize`):
 * "zh-Hans-CN", "zh" (likely zh-Hans-CN) and "zh-SG" (zh-Hans-SG -> zh-Hans) -> zh-CN; "zh-TW",
 * "zh-HK", "zh-Hant" (zh-Hant-*) -> none, because Simplified is not what those readers asked for;
 * "de-AT" -> none; "en-GB" -> en. Case-insensitive, `_` accepted for `-`, a POSIX suffix
 * ("zh_CN.UTF-8") and Unicode extensions ignored, an RFC 5646 extended language subtag
 * ("zh-cmn-Hans-CN") read as its preferred form ("cmn-Hans-CN"). Never throws: missing, empty,
 * malformed or overlong (> 64 characters) input gives undefined.
 */
export function matchLocale(requested: string | undefined | null): SupportedLocale | undefined {
  if (typeof requested !== 'string' || requested.length > MAX_TAG_LENGTH) return undefined;
  // "zh_CN.UTF-8@pinyin" (POSIX) and "zh-CN;q=0.9" keep only their tag.
  const spelled = requested.split(/[.@;,\s]/, 1)[0]?.replaceAll('_', '-') ?? '';
  // Intl rejects extended language subtags; the extlang alone is the preferred form.
  const tag = spelled.replace(/^[a-z]{2,3}-([a-z]{3})(?=-|$)/i, '$1');
  let locale: Intl.Locale;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical === undefined) return undefined;
    locale = new Intl.Locale(canonical).maximize();
  } catch {
    // RangeError: not a well-formed BCP 47 tag.
    return undefined;
  }
  const { language, script, region } = locale;
  return RANGES.get(`${language}-${script}-${region}`) ?? RANGES.get(`${language}-${script}`);
}

/** The locale to write in for a tag a user chose (registration, a case): `matchLocale`, else English. */
export const negotiateLocale = (requested: string | undefined | null): SupportedLocale =>
  matchLocale(requested) ?? DEFAULT_LOCALE;

/** At most this many ranges of an Accept-Language header are looked at (the header is attacker-sized). */
const MAX_RANGES = 16;

/**
 * The first supported locale of an `Accept-Language` header (RFC 9110 §12.5.4), by quality then
 * order; `q=0` means "not this one". Undefined when none matches. Never throws.
 */
export function fromAcceptLanguage(header: string | undefined): SupportedLocale | undefined {
  if (!header || header.length > 1024) return undefined;
  const ranges = header
    .split(',')
    .slice(0, MAX_RANGES)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0 && r.tag !== '' && r.tag !== '*')
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    const match = matchLocale(range.tag);
    if (match) return match;
  }
  return undefined;
}
