// Review probes (issue 13): locale negotiation and rendering of hostile or unusual values.

import { negotiateLocale } from '@wallet-guard/i18n';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from './message';
import { createRenderer, type Renderer } from './render';
import { sampleMessages } from './samples';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ linkBaseUrl: 'https://example.com/account/', timeZone: 'Asia/Shanghai' });
});
const sample = <K extends OutgoingMessage['kind']>(kind: K, locale = 'zh-CN') =>
  sampleMessages(locale).find((m) => m.kind === kind) as Extract<OutgoingMessage, { kind: K }>;

describe('negotiateLocale (held up)', () => {
  it.each([
    ['', 'en'],
    ['zh-TW', 'en'],
    ['x-klingon', 'en'],
    ['i-klingon', 'en'],
    ['a'.repeat(35), 'en'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['cmn', 'zh-CN'],
    ['ZH_cn.UTF-8', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-Hant-CN', 'en'],
    ['de-AT', 'en'],
    ['und', 'en'],
  ])('%j -> %s', (tag, expected) => expect(negotiateLocale(tag)).toBe(expected));
});

describe('negotiateLocale (probe)', () => {
  // RFC 5646 extended language subtag: a valid tag auth's registration accepts (its regex allows it).
  it('zh-cmn-Hans-CN (Mandarin, Simplified, China) is written in Chinese', () => {
    expect(negotiateLocale('zh-cmn-Hans-CN')).toBe('zh-CN');
  });
});

describe('untrusted values (held up)', () => {
  it('never interpolates or nests what a sign-in context or a note carries', () => {
    const sign = sample('new_sign_in');
    const ua = '{{productName}} $t(unlock_link.subject) %%actionUrl%% <script>alert(1)</script>';
    const out = renderer.render({ ...sign, origin: { ...sign.origin, userAgent: ua } });
    expect(out.text).toContain(ua);
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;');
    const note = sample('case_public_note');
    const body = `<img src=x onerror=alert(1)> {{caseNumber}} $t(common.greeting) %%subject%%\r\n${'x'.repeat(4900)}`;
    const rendered = renderer.render({ ...note, body });
    expect(rendered.html).not.toMatch(/<img src=x/);
    expect(rendered.text).toContain('> <img src=x onerror=alert(1)> {{caseNumber}} $t(common.greeting) %%subject%%');
  });

  it('writes dates in the configured zone, named, in both languages', () => {
    const unlock = sample('unlock_link');
    expect(renderer.render(unlock).text).toContain('2026年11月23日 GMT+8 19:00');
    expect(renderer.render({ ...unlock, locale: 'en' }).text).toContain('November 23, 2026 at 7:00 PM GMT+8');
  });

  it('plural forms of recovery codes in both languages', () => {
    const low = sample('recovery_codes_low');
    expect(renderer.render({ ...low, remaining: 0 }).text).toContain('已全部用完');
    expect(renderer.render({ ...low, locale: 'en', remaining: 1 }).text).toContain('1 unused recovery code left');
    expect(renderer.render({ ...low, locale: 'en', remaining: 2 }).text).toContain('2 unused recovery codes left');
  });
});
