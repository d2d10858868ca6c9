// How the console writes instants, durations, money and language names: one place, in the agent's
// locale, through Intl (ECMA-402) only. No React, no DOM: tests/console/locales.test.ts calls it.
import { minorUnitDigits } from '@wallet-guard/contracts';
import type { SupportedLocale } from '@wallet-guard/i18n';

/**
 * The Intl locale each console language formats with. English is written as in the UK: 24-hour
 * clock, day before month ("29 Nov 2026, 14:03:05"), what the console wrote before it spoke two
 * languages and what agents in different regions read the same way; Chinese as in mainland China
 * ("2026年11月29日 14:03:05").
 */
const FORMAT_LOCALE: Record<SupportedLocale, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

export interface Formatters {
  /** An ISO 8601 instant in the browser's time zone, to the second: "29 Nov 2026, 14:03:05". */
  instant(iso: string): string;
  /**
   * `amountMinor` (a decimal string of minor units, as in the contracts) of `currency`, with the
   * currency's ISO 4217 exponent (1023 EUR minor units are 10.23 euros, 1023 JPY are 1,023 yen) and
   * named in words ("1,250.00 euros", "1,250.00欧元"): unambiguous where symbols are not (¥, $).
   * Exact for any 64-bit amount: the decimal string goes to Intl, never through a float.
   */
  money(amountMinor: string, currency: string): string;
  /**
   * A length of time in milliseconds, two units when a day or more ("2d 3h", "2天3小时"), else
   * down to the second with minutes and seconds padded so the clock visibly runs ("2h 05m 09s",
   * "4m 09s", "12s"; "2小时05分钟09秒"). Negative lengths are written as their size.
   */
  span(ms: number): string;
  /** "zh-CN · Chinese (China)" in English, "zh-CN · 中文（中国）" in Chinese; the bare tag when unknown. */
  languageName(tag: string): string | undefined;
}

const cache = new Map<SupportedLocale, Formatters>();

/** The formatters of one console language (built once per language, then reused). Never throw on valid input. */
export function formattersFor(locale: SupportedLocale): Formatters {
  const known = cache.get(locale);
  if (known) return known;
  const intlLocale = FORMAT_LOCALE[locale];
  const instantFormat = new Intl.DateTimeFormat(intlLocale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const unit = (name: 'day' | 'hour' | 'minute' | 'second', padded = false) =>
    new Intl.NumberFormat(intlLocale, {
      style: 'unit',
      unit: name,
      unitDisplay: 'narrow',
      minimumIntegerDigits: padded ? 2 : 1,
    });
  const units = {
    day: unit('day'),
    hour: unit('hour'),
    minute: unit('minute'),
    paddedMinute: unit('minute', true),
    second: unit('second'),
    paddedSecond: unit('second', true),
  };
  const list = new Intl.ListFormat(intlLocale, { type: 'unit', style: 'narrow' });
  const languageNames = new Intl.DisplayNames([intlLocale], { type: 'language' });
  const formatters: Formatters = {
    instant: (iso) => instantFormat.format(new Date(iso)),
    money: (amountMinor, currency) => {
      const digits = minorUnitDigits(currency);
      const padded = amountMinor.padStart(digits + 1, '0');
      const decimal = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
      const format = new Intl.NumberFormat(intlLocale, {
        style: 'currency',
        currency,
        currencyDisplay: 'name',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      // ECMA-402 NumberFormat v3 formats a decimal string exactly, beyond 2^53 too.
      return format.format(decimal as Intl.StringNumericLiteral);
    },
    span: (ms) => {
      const s = Math.floor(Math.abs(ms) / 1000);
      const d = Math.floor(s / 86_400);
      const h = Math.floor((s % 86_400) / 3600);
      const m = Math.floor((s % 3600) / 60);
      if (d > 0) return list.format([units.day.format(d), units.hour.format(h)]);
      if (h > 0)
        return list.format([units.hour.format(h), units.paddedMinute.format(m), units.paddedSecond.format(s % 60)]);
      if (m > 0) return list.format([units.minute.format(m), units.paddedSecond.format(s % 60)]);
      return units.second.format(s % 60);
    },
    languageName: (tag) => {
      try {
        const name = languageNames.of(tag);
        return name && name !== tag ? name : undefined;
      } catch {
        // RangeError: not a well-formed tag.
        return undefined;
      }
    },
  };
  cache.set(locale, formatters);
  return formatters;
}
