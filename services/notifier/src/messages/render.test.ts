import { MESSAGE_KINDS } from '@wallet-guard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from './message';
import { createRenderer, type Renderer } from './render';
import type { MessageError } from './render-errors';
import { sampleMessages } from './samples';

const HAN = /\p{Script=Han}/u;
let renderer: Renderer;

beforeAll(async () => {
  renderer = await createRenderer({ linkBaseUrl: 'https://example.com/account/' });
});

const samples = { en: sampleMessages('en-GB'), 'zh-CN': sampleMessages('zh-Hans-CN') } as const;
const tokens = ['ul_8sJ2kQ9vX1mN4pR7tY0wZ3bC6dF', 'fz_Q4mT7wZ1cV9bN3xK6pL0sD2fG8h'];

describe('every kind in every locale', () => {
  it('samples cover every kind of the contract', () => {
    expect(samples.en.map((m) => m.kind).sort()).toEqual([...MESSAGE_KINDS].sort());
  });

  for (const [locale, messages] of Object.entries(samples)) {
    it.each(messages.map((m) => [m.kind, m] as const))(`%s renders completely in ${locale}`, (_kind, message) => {
      const rendered = renderer.render(message);
      expect(rendered.locale).toBe(locale);
      expect(rendered.kind).toBe(message.kind);
      for (const part of [rendered.subject, rendered.text, rendered.html]) {
        expect(part).not.toMatch(/\{\{|\}\}|%%|\$t\(/);
        expect(part).not.toMatch(/undefined|null|NaN|\[object/);
      }
      expect(rendered.subject.length).toBeGreaterThan(5);
      expect(rendered.html).toContain(`<html lang="${locale}"`);
      expect(rendered.html).toContain(`<title>${rendered.subject}</title>`);
      if (rendered.link) {
        expect(rendered.text).toContain(rendered.link);
        expect(rendered.link.startsWith('https://example.com/account/')).toBe(true);
      }
    });
  }

  it.each(samples['zh-CN'].map((m) => [m.kind, m] as const))('%s reads in Chinese, not English', (_kind, message) => {
    const rendered = renderer.render(message);
    expect(rendered.subject).toMatch(HAN);
    // Every line of our own copy carries Chinese; only links, the quoted note and the separator may not.
    const ours = rendered.text.split('\n').filter((l) => l !== '' && l !== '--' && !/^(> |https:)/.test(l));
    for (const line of ours) expect(line).toMatch(HAN);
    expect(renderer.render({ ...message, locale: 'en' }).text).not.toMatch(HAN);
  });
});

describe('links and tokens', () => {
  it('carries every token in a #token= fragment and nowhere else', () => {
    for (const message of [...samples.en, ...samples['zh-CN']]) {
      const { html, text, link, subject } = renderer.render(message);
      for (const part of [html, text, link ?? '', subject]) {
        expect(part).not.toMatch(/[?&]token=/);
        for (const token of tokens) {
          const everywhere = part.split(token).length - 1;
          const inFragment = part.split(`#token=${token}`).length - 1;
          expect(everywhere, `${message.kind}: ${token} outside a fragment`).toBe(inFragment);
        }
      }
    }
  });

  it('points each kind at its portal page', () => {
    const linkOf = (kind: string) => renderer.render(samples.en.find((m) => m.kind === kind) as OutgoingMessage).link;
    expect(linkOf('unlock_link')).toBe(`https://example.com/account/unlock#token=${tokens[0]}`);
    expect(linkOf('password_reset_link')).toBe(`https://example.com/account/reset-password#token=${tokens[0]}`);
    expect(linkOf('new_sign_in')).toBe(`https://example.com/account/freeze#token=${tokens[1]}`);
    expect(linkOf('password_changed')).toBe(`https://example.com/account/freeze#token=${tokens[1]}`);
    expect(linkOf('two_factor_changed')).toBe(`https://example.com/account/freeze#token=${tokens[1]}`);
    expect(linkOf('recovery_codes_low')).toBe('https://example.com/account/security');
    expect(linkOf('account_frozen')).toBeNull();
    for (const kind of ['case_opened', 'case_public_note', 'case_waiting_on_customer', 'case_resolved']) {
      expect(linkOf(kind)).toBe('https://example.com/account/cases/CASE-000123');
    }
    const older: OutgoingMessage = {
      kind: 'two_factor_changed',
      email: 'a@example.com',
      locale: 'en',
      change: 'enabled',
      changedAt: new Date(),
      freeze: null,
    };
    expect(renderer.render(older).link).toBe('https://example.com/account/security');
  });
});

describe('the rating links of a resolved case', () => {
  const resolvedIn = (locale: 'en' | 'zh-CN') => {
    const message = samples[locale].find((m) => m.kind === 'case_resolved');
    if (message?.kind !== 'case_resolved') throw new Error('no case_resolved sample');
    return message;
  };
  const rateLink = (n: number) => `https://example.com/account/cases/CASE-000123/satisfaction?rating=${n}`;

  it.each([
    ['en', 'How satisfied are you', '5 – Very satisfied', 'until December 13, 2026 at 10:00 AM UTC'],
    ['zh-CN', '您对我们的服务满意吗', '5 – 非常满意', '截止时间为 2026年12月13日 UTC 10:00'],
  ] as const)(
    'asks in %s with one link per rating into the portal, and says until when',
    (locale, question, five, until) => {
      const { html, text, link } = renderer.render(resolvedIn(locale));
      for (const n of [1, 2, 3, 4, 5]) {
        expect(html).toContain(`href="${rateLink(n)}"`);
        expect(text).toContain(rateLink(n));
      }
      expect(html.match(/satisfaction\?rating=/g)).toHaveLength(5);
      expect(text).toContain(`${five}: ${rateLink(5)}`);
      for (const part of [html, text]) {
        expect(part).toContain(question);
        expect(part).toContain(until);
      }
      // The button still opens the case; the links carry no token (the portal asks the customer to sign in).
      expect(link).toBe('https://example.com/account/cases/CASE-000123');
      expect(html).not.toMatch(/satisfaction[^"]*#/);
    },
  );

  it('leaves the links out when support-cases asks no rating', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const { html, text } = renderer.render({ ...resolvedIn(locale), rating: null });
      expect(html).not.toContain('satisfaction?rating=');
      expect(text).not.toContain('satisfaction?rating=');
      expect(text).not.toMatch(/How satisfied|您对我们的服务满意吗/);
    }
  });
});

describe('two-step changes', () => {
  const CHANGES = ['enabled', 'disabled', 'recovery_codes_regenerated', 'passkey_added', 'passkey_removed'] as const;
  for (const locale of ['en', 'zh-CN'] as const) {
    it.each(CHANGES)(`%s has its own subject and intro in ${locale}`, (change) => {
      const rendered = renderer.render({
        kind: 'two_factor_changed',
        email: 'a@example.com',
        locale,
        change,
        changedAt: new Date('2026-11-29T10:00:00Z'),
        freeze: { token: tokens[1] ?? '', expiresAt: new Date('2026-12-06T10:00:00Z') },
      });
      const others = CHANGES.filter((c) => c !== change).map(
        (c) =>
          renderer.render({
            kind: 'two_factor_changed',
            email: 'a@example.com',
            locale,
            change: c,
            changedAt: new Date('2026-11-29T10:00:00Z'),
            freeze: null,
          }).subject,
      );
      expect(others).not.toContain(rendered.subject);
      if (locale === 'zh-CN') expect(rendered.subject).toMatch(HAN);
      if (change.startsWith('passkey')) expect(rendered.text).toMatch(locale === 'en' ? /passkey/ : /通行密钥/);
      expect(rendered.link).toBe(`https://example.com/account/freeze#token=${tokens[1]}`);
    });
  }
});

describe('untrusted text', () => {
  const note: OutgoingMessage = {
    kind: 'case_public_note',
    email: 'a@example.com',
    locale: 'en',
    caseNumber: 'CASE-000123',
    body: 'Hello <script>alert("x")</script> & <a href="https://evil.example">click</a>\nSecond line %%title%% {{productName}}',
  };

  it('escapes an agent note in the HTML and keeps its line breaks', () => {
    const { html, text } = renderer.render(note);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('evil.example">');
    expect(html).toContain(
      'Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;<br />Second line %%title%% {{productName}}',
    );
    expect(text).toContain(
      '> Hello <script>alert("x")</script> & <a href="https://evil.example">click</a>\n> Second line',
    );
  });

  it('escapes what a sign-in reported about itself', () => {
    const signIn = samples.en.find((m) => m.kind === 'new_sign_in');
    if (signIn?.kind !== 'new_sign_in') throw new Error('no sample');
    const hostile = { ...signIn, origin: { ...signIn.origin, userAgent: '<img src=x onerror=alert(1)>' } };
    const { html, text } = renderer.render(hostile);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('Device: <img src=x onerror=alert(1)>');
  });
});

describe('dates, numbers and names for the reader', () => {
  const unlock = samples.en.find((m) => m.kind === 'unlock_link') as OutgoingMessage;
  const unlockIn = (locale: string): OutgoingMessage => ({ ...unlock, locale });

  it('writes the expiry the way each language writes dates', () => {
    const en = renderer.render(unlockIn('en')).text;
    const zh = renderer.render(unlockIn('zh-CN')).text;
    expect(en).toContain('expires on November 23, 2026 at 11:00 AM UTC.');
    expect(zh).toContain('将于 2026年11月23日 UTC 11:00 失效。');
  });

  it('writes times in the configured zone', async () => {
    const shanghai = await createRenderer({ linkBaseUrl: 'http://localhost:4005', timeZone: 'Asia/Shanghai' });
    expect(shanghai.render(unlockIn('zh-CN')).text).toContain('2026年11月23日 GMT+8 19:00');
  });

  it('names the country of a sign-in in the reader language', () => {
    const signIn = (locale: string) => samples[locale === 'en' ? 'en' : 'zh-CN'].find((m) => m.kind === 'new_sign_in');
    expect(renderer.render(signIn('en') as OutgoingMessage).text).toContain('Country or region: Germany');
    expect(renderer.render(signIn('zh-CN') as OutgoingMessage).text).toContain('国家或地区：德国');
  });

  it.each([
    [0, 'en', 'You have used every recovery code'],
    [1, 'en', 'only 1 unused recovery code left.'],
    [2, 'en', 'only 2 unused recovery codes left.'],
    [0, 'zh-CN', '恢复码已全部用完'],
    [2, 'zh-CN', '仅剩 2 个未使用的恢复码'],
  ])('counts %i remaining recovery codes in %s', (remaining, locale, expected) => {
    const message: OutgoingMessage = { kind: 'recovery_codes_low', email: 'a@example.com', locale, remaining };
    expect(renderer.render(message).text).toContain(expected);
  });
});

describe('configuration', () => {
  it('refuses an unknown time zone and a bad link base when built, not when sending', async () => {
    await expect(createRenderer({ linkBaseUrl: 'http://localhost:4005', timeZone: 'Mars/Olympus' })).rejects.toThrow(
      expect.objectContaining({ code: 'NOTIFIER_TIME_ZONE_INVALID' }) as unknown as MessageError,
    );
    await expect(createRenderer({ linkBaseUrl: 'localhost:4005' })).rejects.toThrow(
      expect.objectContaining({ code: 'NOTIFIER_LINK_BASE_INVALID' }) as unknown as MessageError,
    );
  });

  it('uses the configured product name', async () => {
    const named = await createRenderer({ linkBaseUrl: 'http://localhost:4005', productName: 'Acme <Pay>' });
    const { text, html } = named.render(samples.en[0] as OutgoingMessage);
    expect(text).toContain('your Acme <Pay> account');
    expect(html).toContain('Acme &lt;Pay&gt;');
    expect(html).not.toContain('Acme <Pay>');
  });
});
