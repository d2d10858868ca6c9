import { describe, expect, it } from 'vitest';
import { chooseLocale, fromAcceptLanguage, matchLocale } from './locale';

describe('the language of a page', () => {
  it('matches tags by likely script: Simplified Chinese yes, Traditional no', () => {
    expect(matchLocale('zh-CN')).toBe('zh-CN');
    expect(matchLocale('zh')).toBe('zh-CN');
    expect(matchLocale('zh-Hans-SG')).toBe('zh-CN');
    expect(matchLocale('zh_CN.UTF-8')).toBe('zh-CN');
    expect(matchLocale('zh-TW')).toBeUndefined();
    expect(matchLocale('zh-Hant')).toBeUndefined();
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('de-AT')).toBeUndefined();
    expect(matchLocale('not a tag!')).toBeUndefined();
    expect(matchLocale('x'.repeat(65))).toBeUndefined();
  });

  it('takes the best supported range of Accept-Language by quality, then order', () => {
    expect(fromAcceptLanguage('de-DE, zh-CN;q=0.8, en;q=0.5')).toBe('zh-CN');
    expect(fromAcceptLanguage('en;q=0.4, zh;q=0.9')).toBe('zh-CN');
    expect(fromAcceptLanguage('zh-TW, zh-HK;q=0.9, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage('zh-CN;q=0, en')).toBe('en');
    expect(fromAcceptLanguage('fr, de')).toBeUndefined();
    expect(fromAcceptLanguage(undefined)).toBeUndefined();
  });

  it('prefers the switcher cookie, then the account, then Accept-Language, then English', () => {
    expect(chooseLocale({ cookie: 'zh-CN', account: 'en', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: 'klingon', account: 'zh-Hans', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: undefined, acceptLanguage: 'zh-CN,zh;q=0.9' })).toBe('zh-CN');
    expect(chooseLocale({ cookie: undefined, acceptLanguage: 'fr' })).toBe('en');
  });
});
