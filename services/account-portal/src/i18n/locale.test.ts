import { describe, expect, it } from 'vitest';
import { chooseLocale } from './locale';

describe('the language of a page', () => {
  it('prefers the switcher cookie, then the account, then Accept-Language, then English', () => {
    expect(chooseLocale({ cookie: 'zh-CN', account: 'en', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: 'klingon', account: 'zh-Hans', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: undefined, account: 'zh-TW', acceptLanguage: 'zh-CN,zh;q=0.9' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: undefined, acceptLanguage: 'fr' })).toBe('en');
  });
});
