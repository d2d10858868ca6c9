import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locale';

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
