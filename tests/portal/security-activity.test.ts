// The security page's "Recent activity" through the portal's own routes (inject, with a browser's
// cookie jar) in front of the real auth: a wrong password and a sign-in made through the portal are
// listed, newest first, in words, with the time, device and IP, in English and in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem();
});
afterAll(async () => {
  await env?.stop();
});

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** The visible lines of the "Recent activity" list, tags dropped, newest first. */
function activityOf(body: string): string[] {
  const list = /<ul class="activity">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
  return [...list.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) =>
    (m[1] as string)
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const cases = [
  {
    locale: 'en',
    lines: [
      /^Signed in New device New IP address .*\d{4}.* · Device: Firefox on Linux · IP address 127\.0\.0\.1$/,
      /^Sign-in failed .*\d{4}.* · Device: Firefox on Linux · IP address 127\.0\.0\.1$/,
      /^Other security change /,
    ],
    // "Nov 29, 2026, 9:23 PM": the month in English words.
    time: /<time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2}, \d{4}/,
  },
  {
    locale: 'zh-CN',
    lines: [
      /^登录成功 新设备 新 IP 地址 .*\d{4}.* · 设备：Linux 上的 Firefox · IP 地址 127\.0\.0\.1$/,
      /^登录失败 .*\d{4}.* · 设备：Linux 上的 Firefox · IP 地址 127\.0\.0\.1$/,
      /^其他安全变更 /,
    ],
    time: /<time datetime="[^"]+">\d{4}年\d{1,2}月\d{1,2}日/,
  },
];

describe("the security page's recent activity", () => {
  it.each(cases)('$locale: lists a wrong password and the sign-in after it, newest first', async (c) => {
    const { email } = await register(env, c.locale);
    const visitor = env.portal.visitor({ 'accept-language': c.locale, 'user-agent': FIREFOX_ON_LINUX });
    const wrong = await visitor.submit('/sign-in', '/sign-in', { email, password: 'not-the-password-at-all' });
    expect(wrong.statusCode).toBe(401);
    const signedIn = await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/account']);

    const page = await visitor.get('/security');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(c.locale === 'en' ? '<h2 id="activity-title">Recent activity' : '最近活动');
    const lines = activityOf(page.body);
    expect(lines).toHaveLength(c.lines.length);
    c.lines.forEach((line, index) => {
      expect(lines[index]).toMatch(line);
    });
    expect(page.body).toMatch(c.time);
  });
});
