import { describe, expect, it } from 'vitest';
import { createStrictTranslators } from './strict-translators';

class Missing extends Error {}
const missing = (reason: string) => new Missing(reason);

describe('strict translators', () => {
  it('translate each locale and fill productName and values', async () => {
    const translators = await createStrictTranslators({
      resources: {
        en: { hi: 'Hello {{name}} from {{productName}}' },
        'zh-CN': { hi: '{{productName}} 向 {{name}} 问好' },
      },
      productName: 'Wallet Guard',
      missing,
    });
    expect(translators('en')('hi', { name: 'Ann' })).toBe('Hello Ann from Wallet Guard');
    expect(translators('zh-CN')('hi', { name: '安' })).toBe('Wallet Guard 向 安 问好');
  });

  it('throw instead of showing a key, an English fallback, a hole or an empty string', async () => {
    const translators = await createStrictTranslators({
      resources: {
        en: { a: 'Hello {{name}}', only: 'English only', empty: '' },
        'zh-CN': { a: '你好 {{name}}', empty: '' },
      },
      productName: 'Wallet Guard',
      missing,
    });
    expect(() => translators('en')('nope')).toThrow(Missing);
    expect(() => translators('zh-CN')('only')).toThrow(Missing);
    expect(() => translators('en')('a')).toThrow(Missing);
    expect(() => translators('en')('empty')).toThrow(Missing);
  });
});
