/** The languages every page is written in; the first is the last resort. */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const DEFAULT_LOCALE: SupportedLocale = 'en';

export const isSupportedLocale = (value: unknown): value is SupportedLocale =>
  typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);

/**
 * Lookup ranges -> supported locale, keyed by the supported tags with their likely subtags added
 * ("zh-CN" -> "zh-Hans-CN" and "zh-Hans"). Keying on the script keeps Traditional Chinese
 * (zh-TW, zh-HK, zh-Hant: ranges zh-Hant-*) from being answered in Simplified. The same idea as
 * the notifier's `negotiateLocale`; services do not import each other, so it is restated here.
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
 * The supported locale one BCP 47 tag asks for, or undefined when it asks for none of ours:
 * RFC 4647 lookup over the tag with its likely script made explicit ("zh" and "zh-SG" -> zh-CN,
 * "zh-TW" -> none, "en-GB" -> en). Never throws: malformed or overlong input gives undefined.
 */
export function matchLocale(requested: string | undefined | null): SupportedLocale | undefined {
  if (typeof requested !== 'string' || requested.length > MAX_TAG_LENGTH) return undefined;
  const tag = requested.split(/[.@;,\s]/, 1)[0]?.replaceAll('_', '-') ?? '';
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

/**
 * The language of a page: the `lang` cookie the switcher set, then the account's language (when
 * the portal knows it), then `Accept-Language`, then English.
 */
export function chooseLocale(input: {
  cookie: string | undefined;
  account?: string | undefined;
  acceptLanguage: string | undefined;
}): SupportedLocale {
  if (isSupportedLocale(input.cookie)) return input.cookie;
  return matchLocale(input.account) ?? fromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
}
