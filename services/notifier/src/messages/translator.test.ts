import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import { describe, expect, it } from 'vitest';
import { MessageError } from './render-errors';
import { BUNDLED_RESOURCES, createTranslator, type ResourceTree } from './translator';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keysOf(tree: ResourceTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

describe('translations', () => {
  it('en.json and zh-CN.json have the same keys (plural forms as each language needs them)', () => {
    const [first, ...others] = SUPPORTED_LOCALES.map((locale) => ({
      locale,
      keys: keysOf(BUNDLED_RESOURCES[locale]),
    }));
    if (!first) throw new Error('no locales');
    // Plural suffixes differ by language (English one/other, Chinese other only): compare the keys
    // without them, then check each language has every form its plural rules use.
    const base = (keys: string[]) => [...new Set(keys.map((k) => k.replace(PLURAL, '')))].sort();
    for (const other of others) expect(base(other.keys), other.locale).toEqual(base(first.keys));
    for (const { locale, keys } of [first, ...others]) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const plural of new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))) {
        for (const category of categories) expect(keys, `${locale} ${plural}`).toContain(`${plural}_${category}`);
        // "zero" is i18next's own form for a count of 0, whatever the language's rules.
        expect(keys, `${locale} ${plural}`).toContain(`${plural}_zero`);
      }
    }
  });

  it('fails loudly on a key a locale lacks, instead of falling back to English or the key', async () => {
    const lacking = structuredClone(BUNDLED_RESOURCES);
    const unlock = lacking['zh-CN'].unlock_link;
    if (typeof unlock !== 'object') throw new Error('unexpected resource shape');
    delete unlock.subject;
    const translate = await createTranslator(lacking, 'Wallet Guard');
    expect(translate('en', 'unlock_link.subject')).toBe('Unlock your account');
    expect(() => translate('zh-CN', 'unlock_link.subject')).toThrow(
      expect.objectContaining({ code: 'NOTIFIER_MISSING_TRANSLATION' }) as unknown as MessageError,
    );
    expect(() => translate('en', 'unlock_link.no_such_key')).toThrow(MessageError);
  });

  it('fails loudly when a value a string needs is not passed', async () => {
    const translate = await createTranslator(BUNDLED_RESOURCES, 'Wallet Guard');
    expect(translate('en', 'case_opened.preview', { caseNumber: 'CASE-000001' })).toBe(
      'Your case number is CASE-000001.',
    );
    expect(() => translate('en', 'case_opened.preview')).toThrow(
      expect.objectContaining({ code: 'NOTIFIER_MISSING_TRANSLATION' }) as unknown as MessageError,
    );
  });
});
