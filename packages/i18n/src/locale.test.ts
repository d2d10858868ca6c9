import { describe, expect, it } from 'vitest';
import { fromAcceptLanguage, matchLocale, negotiateLocale } from './locale';

describe('negotiateLocale', () => {
  it.each([
    // The chains: zh-Hans-CN -> zh-CN -> zh -> en, de-AT -> de -> en.
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['de-AT', 'en'],
    ['de', 'en'],
    ['en', 'en'],
    // Simplified Chinese elsewhere is still Simplified.
    ['zh-Hans', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-Hans-SG', 'zh-CN'],
    ['cmn', 'zh-CN'],
    // Traditional Chinese readers get English, not Simplified: we have no zh-TW yet.
    ['zh-TW', 'en'],
    ['zh-HK', 'en'],
    ['zh-Hant', 'en'],
    ['zh-Hant-CN', 'en'],
    ['yue', 'en'],
    // Case, separators, extensions, POSIX and header-style spellings.
    ['ZH-cn', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh_Hans_CN', 'zh-CN'],
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh-CN;q=0.9', 'zh-CN'],
    ['zh-CN-u-ca-chinese', 'zh-CN'],
    ['en-GB', 'en'],
    ['EN_us', 'en'],
    ['en-US-u-ca-buddhist', 'en'],
    // Garbage and absence.
    ['', 'en'],
    ['   ', 'en'],
    ['x', 'en'],
    ['123', 'en'],
    ['en--US', 'en'],
    ['<script>', 'en'],
    [`zh-CN-${'x'.repeat(80)}`, 'en'],
    [undefined, 'en'],
    [null, 'en'],
  ])('%j -> %s', (requested, expected) => {
    expect(negotiateLocale(requested)).toBe(expected);
  });
});

describe('matchLocale', () => {
  it('matches tags by likely script: Simplified Chinese yes, Traditional no', () => {
    expect(matchLocale('zh-CN')).toBe('zh-CN');
    expect(matchLocale('zh')).toBe('zh-CN');
    expect(matchLocale('zh-Hans-SG')).toBe('zh-CN');
    expect(matchLocale('zh-cmn-Hans-CN')).toBe('zh-CN');
    expect(matchLocale('zh_CN.UTF-8')).toBe('zh-CN');
    expect(matchLocale('zh-TW')).toBeUndefined();
    expect(matchLocale('zh-Hant')).toBeUndefined();
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('de-AT')).toBeUndefined();
    expect(matchLocale('not a tag!')).toBeUndefined();
    expect(matchLocale('x'.repeat(65))).toBeUndefined();
  });
});

describe('fromAcceptLanguage', () => {
  it('takes the best supported range by quality, then order', () => {
    expect(fromAcceptLanguage('de-DE, zh-CN;q=0.8, en;q=0.5')).toBe('zh-CN');
    expect(fromAcceptLanguage('en;q=0.4, zh;q=0.9')).toBe('zh-CN');
    expect(fromAcceptLanguage('zh-TW, zh-HK;q=0.9, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage('zh-CN;q=0, en')).toBe('en');
    expect(fromAcceptLanguage('fr, de')).toBeUndefined();
    expect(fromAcceptLanguage(undefined)).toBeUndefined();
    expect(fromAcceptLanguage(`${'fr, '.repeat(400)}zh-CN`)).toBeUndefined();
  });
});
