// The agent console's words (services/support-cases/console/src/i18n): both languages complete and
// alike, every code the contracts can send worded, every key the source names present, and a gap
// failing loudly instead of showing a key name. Runs the very modules the browser bundles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CASE_OUTCOMES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  DELIVERY_CHANNELS,
  MESSAGE_KINDS,
  RISK_DECISIONS,
  securityEvent,
  TRANSACTION_TYPES,
  VERIFICATION_METHODS,
} from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_RESOURCES,
  createConsoleI18n,
  initialLocale,
  MissingTranslationError,
  wordsOr,
} from '../../services/support-cases/console/src/i18n/console-i18n';
import { formattersFor } from '../../services/support-cases/console/src/i18n/format';

/** The console's languages: its resources are keyed by @wallet-guard/i18n's SUPPORTED_LOCALES. */
type SupportedLocale = keyof typeof CONSOLE_RESOURCES;
const SUPPORTED_LOCALES = Object.keys(CONSOLE_RESOURCES) as SupportedLocale[];
type ResourceTree = (typeof CONSOLE_RESOURCES)[SupportedLocale];

const consoleSrc = fileURLToPath(new URL('../../services/support-cases/console/src', import.meta.url));

/** "a.b.c" -> value, for every string leaf. */
function leaves(tree: ResourceTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** What a key is called without its plural form ("queue.arrived_one" -> "queue.arrived"). */
const base = (key: string) => key.replace(PLURAL, '');
/** The placeholders and tags of a string, sorted: "{{count}}", "<name>". */
const slots = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}|<(\w+)>/g)].map((m) => (m[1] ? `{{${m[1]}}}` : `<${m[2]}>`)).sort();

const strings = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, leaves(CONSOLE_RESOURCES[l])])) as Record<
  SupportedLocale,
  Map<string, string>
>;

describe('the console locale files', () => {
  it('hold the same keys in every language (plural forms aside), none empty', () => {
    const english = [...new Set([...strings.en.keys()].map(base))].sort();
    expect(english.length).toBeGreaterThan(250);
    for (const locale of SUPPORTED_LOCALES) {
      expect([...new Set([...strings[locale].keys()].map(base))].sort(), locale).toEqual(english);
      for (const [key, text] of strings[locale])
        expect([locale, key, text.trim() === '']).toEqual([locale, key, false]);
    }
  });

  it("have each plural in exactly the forms the language's plural rules use (en: one, other; zh-CN: other)", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.sort();
      const plurals = new Map<string, string[]>();
      for (const key of strings[locale].keys()) {
        const form = PLURAL.exec(key)?.[1];
        if (form) plurals.set(base(key), [...(plurals.get(base(key)) ?? []), form]);
      }
      expect(plurals.size, locale).toBeGreaterThan(0);
      for (const [key, found] of plurals) expect([locale, key, found.sort()]).toEqual([locale, key, forms]);
    }
  });

  it('give every translation the placeholders and tags of the English string', () => {
    const englishSlots = new Map([...strings.en].map(([k, v]) => [base(k), slots(v).filter((s) => s !== '{{count}}')]));
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, text] of strings[locale]) {
        const own = slots(text).filter((s) => s !== '{{count}}');
        expect([locale, key, own]).toEqual([locale, key, englishSlots.get(base(key))]);
      }
    }
  });

  it('word every value of the contracts the console shows (a new case type without words fails here)', () => {
    const eventTypes = securityEvent.options.map((o) => o.shape.type.value);
    const signInFailed = securityEvent.options.find((o) => o.shape.type.value === 'sign_in.failed');
    if (!signInFailed) throw new Error('the contracts have no sign_in.failed event');
    const payloadSchema = signInFailed.shape.payload.toJSONSchema() as unknown as {
      properties: { reason: { enum: string[] } };
    };
    const failureReasons = payloadSchema.properties.reason.enum;
    const required = [
      ...CASE_TYPES.map((v) => `caseType.${v}`),
      ...CASE_STATUSES.map((v) => `status.${v}`),
      ...CASE_PRIORITIES.map((v) => `priority.${v}`),
      ...CASE_OUTCOMES.map((v) => `outcome.${v}`),
      ...VERIFICATION_METHODS.map((v) => `verification.${v}`),
      ...MESSAGE_KINDS.map((v) => `messageKind.${v}`),
      ...DELIVERY_CHANNELS.map((v) => `channel.${v}`),
      ...TRANSACTION_TYPES.map((v) => `transactionType.${v}`),
      ...RISK_DECISIONS.map((v) => `decision.${v}`),
      ...eventTypes.map((v) => `securityEvent.${v}`),
      ...failureReasons.map((v) => `signInFailure.${v}`),
      ...SUPPORTED_LOCALES.map((v) => `language.${v}`),
      'role.agent',
      'role.supervisor',
    ];
    expect(eventTypes.length).toBeGreaterThan(15);
    for (const locale of SUPPORTED_LOCALES) {
      const missing = required.filter((key) => !strings[locale].has(key));
      expect([locale, missing]).toEqual([locale, []]);
    }
    // Chinese agents read Chinese: the words for codes are not English left in place.
    const han = /[\u4e00-\u9fff]/;
    const untranslated = required
      .filter((key) => !key.startsWith('language.') && !key.startsWith('priority.'))
      .filter((key) => !han.test(strings['zh-CN'].get(key) ?? ''));
    expect(untranslated).toEqual([]);
  });

  it('hold every key the console source names (t("..."), i18nKey="...", and the prefix of every t(`prefix.<code>`))', () => {
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    })(consoleSrc);
    const named = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(
        /\bt\(\s*'([\w.-]+)'|i18nKey="([\w.-]+)"|\?\s*'([a-z]+\.[\w.]+)'\s*:\s*'([a-z]+\.[\w.]+)'/g,
      )) {
        for (const key of m.slice(1)) if (key) named.add(key);
      }
      for (const m of source.matchAll(/`([a-zA-Z]+(?:\.[a-zA-Z]+)*)\.\$\{/g)) prefixes.add(m[1] as string);
    }
    expect(named.size).toBeGreaterThan(150);
    const english = new Set([...strings.en.keys()].map(base));
    expect([...named].filter((key) => !english.has(key))).toEqual([]);
    const branches = new Set(
      [...strings.en.keys()].flatMap((k) =>
        k
          .split('.')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('.')),
      ),
    );
    expect([...prefixes].filter((p) => !branches.has(p))).toEqual([]);
  });
});

describe('the strict console i18n', () => {
  it('throws MissingTranslationError for a missing key, a missing value, and never falls back to English', () => {
    const i18n = createConsoleI18n('zh-CN');
    expect(i18n.t('caseType.account_lockout')).toBe('账户锁定');
    expect(i18n.t('queue.arrived', { count: 2 })).toBe('新到 2 张工单');
    expect(() => i18n.t('caseType.no_such_type')).toThrow(MissingTranslationError);
    expect(() => i18n.t('case.heldBy')).toThrow(MissingTranslationError);
    const partial = createConsoleI18n('zh-CN', [], { en: { only: 'English only' }, 'zh-CN': {} });
    expect(() => partial.t('only')).toThrow(MissingTranslationError);
    const english = createConsoleI18n('en');
    expect(english.t('queue.arrived', { count: 1 })).toBe('1 new case arrived');
    expect(english.t('queue.seen', { count: 1 })).toBe('once');
  });

  it('words an open-ended code it knows, and shows one it does not know as it came', () => {
    const i18n = createConsoleI18n('zh-CN');
    expect(wordsOr(i18n, 'rule.balance_drain', 'balance drain')).toBe('转空余额');
    expect(wordsOr(i18n, 'rule.brand_new_rule', 'brand new rule')).toBe('brand new rule');
    expect(wordsOr(i18n, 'securityEvent.account', 'account')).toBe('account');
  });
});

describe('the first language', () => {
  it("is the agent's saved choice, else the first browser language we speak, else English", () => {
    expect(initialLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale(null, ['zh-TW', 'zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(initialLocale(null, ['de-AT', 'en-GB'])).toBe('en');
    expect(initialLocale(null, ['zh-SG'])).toBe('zh-CN');
    expect(initialLocale(null, ['de', 'fr'])).toBe('en');
    expect(initialLocale(undefined, undefined)).toBe('en');
    expect(initialLocale('klingon', ['zh'])).toBe('zh-CN');
  });
});

describe('the console formats', () => {
  const en = formattersFor('en');
  const zh = formattersFor('zh-CN');

  it("write money with the currency's ISO 4217 exponent, exactly, named in the agent's language", () => {
    expect(en.money('125000', 'EUR')).toBe('1,250.00 euros');
    expect(zh.money('125000', 'EUR')).toBe('1,250.00欧元');
    expect(en.money('1023', 'JPY')).toBe('1,023 Japanese yen');
    expect(zh.money('1023', 'JPY')).toBe('1,023日元');
    expect(en.money('1', 'BHD')).toBe('0.001 Bahraini dinars');
    // CLDR shows HUF without decimals; ISO 4217 minor units are hundredths.
    expect(en.money('12345', 'HUF')).toBe('123.45 Hungarian forints');
    expect(zh.money('9223372036854775807', 'CNY')).toBe('92,233,720,368,547,758.07人民币');
  });

  it('write durations as the language does, seconds visible under a day', () => {
    const ms = (d: number, h: number, m: number, s: number) => (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
    expect(en.span(ms(0, 2, 5, 9))).toBe('2h 05m 09s');
    expect(zh.span(ms(0, 2, 5, 9))).toBe('2小时05分钟09秒');
    expect(en.span(ms(2, 3, 0, 0))).toBe('2d 3h');
    expect(zh.span(ms(2, 3, 0, 0))).toBe('2天3小时');
    expect(en.span(ms(0, 0, 4, 9))).toBe('4m 09s');
    expect(zh.span(12_500)).toBe('12秒');
    expect(en.span(-ms(0, 0, 2, 10))).toBe('2m 10s');
  });

  it("write instants in the agent's locale on a 24-hour clock", () => {
    const at = new Date(2026, 10, 29, 14, 3, 5).toISOString();
    expect(en.instant(at)).toBe('29 Nov 2026, 14:03:05');
    expect(zh.instant(at)).toBe('2026年11月29日 14:03:05');
  });

  it('name a language in the agent’s language, or not at all', () => {
    expect(en.languageName('zh-CN')).toBe('Chinese (China)');
    expect(zh.languageName('zh-CN')).toBe('中文（中国）');
    expect(zh.languageName('en')).toBe('英语');
    expect(en.languageName('not a tag')).toBeUndefined();
  });
});
