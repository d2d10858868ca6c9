import { notification } from '@wallet-guard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { messageFromNotification, type OutgoingMessage } from './message';
import { createRenderer, type Renderer } from './render';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ linkBaseUrl: 'https://example.com/account/' });
});

const code = '042917';
const freezeToken = 'fz_Q4mT7wZ1cV9bN3xK6pL0sD2fG8h';
const event = notification.parse({
  eventId: '3a0c9e51-7b2d-4c8e-9f10-6d5e4c3b2a19',
  type: 'notification.sign_in_code',
  version: 1,
  occurredAt: '2026-11-30T10:00:00.000Z',
  producer: 'auth',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
  payload: {
    email: 'li@example.com',
    locale: 'zh-CN',
    code,
    expiresAt: '2026-11-30T10:10:00.000Z',
    freezeToken,
    freezeTokenExpiresAt: '2026-12-07T10:00:00.000Z',
    context: { ip: '203.0.113.7', userAgent: 'WalletApp/5.2 (Android 15)', country: 'SG', deviceId: 'dev-9' },
  },
});

describe('notification.sign_in_code', () => {
  it('becomes a sign_in_code message with the code, its expiry, where the sign-in comes from and the freeze token', () => {
    expect(messageFromNotification(event)).toEqual({
      kind: 'sign_in_code',
      email: 'li@example.com',
      locale: 'zh-CN',
      code,
      expiresAt: new Date('2026-11-30T10:10:00.000Z'),
      requestedAt: new Date('2026-11-30T10:00:00.000Z'),
      origin: { ip: '203.0.113.7', userAgent: 'WalletApp/5.2 (Android 15)', country: 'SG' },
      freezeToken,
      freezeTokenExpiresAt: new Date('2026-12-07T10:00:00.000Z'),
    });
  });

  it.each([
    ['zh-CN', '您的登录验证码', '验证码：042917', '新加坡', '2026年11月30日'],
    ['en', 'Your sign-in code', 'Code: 042917', 'Singapore', 'November 30, 2026'],
  ])(
    'in %s: the code in the body only, never in the subject, preview or any link; the freeze link as for a new sign-in',
    (locale, subject, codeLine, country, date) => {
      const message: OutgoingMessage = { ...messageFromNotification(event), locale };
      const rendered = renderer.render(message);
      expect(rendered.locale).toBe(locale);
      expect(rendered.subject).toBe(subject);
      expect(rendered.subject).not.toContain(code);
      expect(rendered.text).toContain(codeLine);
      expect(rendered.html).toContain(code);
      // Where the sign-in comes from, in the reader's words, and when the code stops working.
      expect(rendered.text).toContain(country);
      expect(rendered.text).toContain('203.0.113.7');
      expect(rendered.text).toContain(date);
      // The only link is "this wasn't me", the freeze token in its fragment; the code is in no URL.
      expect(rendered.link).toBe(`https://example.com/account/freeze#token=${freezeToken}`);
      const urls = [...rendered.html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
      const textUrls = rendered.text.match(/https?:\/\/\S+/g) ?? [];
      for (const url of [...urls, ...textUrls]) expect(url).not.toContain(code);
      // The preview line (shown by mail clients on lock screens) does not carry it either.
      const preview = /<div style="display:none[^>]*>([^<]*)/.exec(rendered.html)?.[1] ?? '';
      expect(preview).not.toContain(code);
    },
  );

  it('writes the "never share it" and "not you? freeze" advice in both languages', () => {
    const zh = renderer.render(messageFromNotification(event)).text;
    expect(zh).toContain('切勿将此验证码告诉任何人');
    expect(zh).toContain('立即冻结账户');
    const en = renderer.render({ ...messageFromNotification(event), locale: 'en' }).text;
    expect(en).toContain('Never give this code to anyone');
    expect(en).toContain('Freeze your account now');
    expect(en).toContain("This wasn't me: freeze my account");
  });
});
