import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import { describe, expect, it } from 'vitest';
import { BUNDLED_RESOURCES, createTranslators, MissingTranslationError, type ResourceTree } from './translator';

const keysOf = (tree: ResourceTree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );

describe('the portal strings', () => {
  it('every locale has exactly the keys of English, none empty', () => {
    const english = keysOf(BUNDLED_RESOURCES.en).sort();
    for (const locale of SUPPORTED_LOCALES) {
      expect(keysOf(BUNDLED_RESOURCES[locale]).sort(), locale).toEqual(english);
    }
  });

  it('a missing key or value throws instead of showing the key', async () => {
    const translators = await createTranslators(BUNDLED_RESOURCES, 'Wallet Guard');
    expect(translators('zh-CN')('signIn.title')).toBe('登录');
    expect(() => translators('en')('signIn.nope')).toThrow(MissingTranslationError);
    const broken = await createTranslators(
      { en: { a: 'Hello {{name}}' }, 'zh-CN': { a: '你好 {{name}}' } },
      'Wallet Guard',
    );
    expect(() => broken('en')('a')).toThrow(MissingTranslationError);
  });
});
