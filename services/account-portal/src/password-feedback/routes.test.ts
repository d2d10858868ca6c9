import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { noteSecretsIn } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RESOURCES, createTranslators } from '../i18n/translator';
import { SCRIPT_PATHS } from '../route-conventions';
import { csrfOf, startTestPortal, type TestPortal } from '../testing/harness';
import { feedbackOf } from './feedback';

// The happy path with the real auth is the browser test in tests/portal/password-feedback.test.ts.
const PASSWORD = 'Harbour-velvet-kite-lantern';
noteSecretsIn({ password: PASSWORD });

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await portal?.close();
});

describe('POST /password-feedback', () => {
  it('the reset page offers it to its script', async () => {
    const page = (await portal.visitor().get(PORTAL_PATHS.resetPassword)).body;
    expect(page).toContain(`data-password-feedback="${SCRIPT_PATHS.passwordFeedback}"`);
    expect(page).toContain('aria-describedby="password-hint password-feedback"');
    expect(page).toMatch(/<div id="password-feedback" class="feedback" aria-live="polite"><\/div>/);
  });

  it("refuses a call without this session's CSRF token, in JSON, before asking auth", async () => {
    const visitor = portal.visitor();
    await visitor.get(PORTAL_PATHS.resetPassword);
    const res = await visitor.postJson(SCRIPT_PATHS.passwordFeedback, { password: PASSWORD });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'PORTAL_CSRF_REJECTED']);
    expect(portal.logs.text).not.toContain('password check failed');
  });

  it('answers 503 in JSON when auth does not, with a budget of its own beyond the forms', async () => {
    const limited = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const visitor = limited.visitor();
      const csrf = csrfOf((await visitor.get(PORTAL_PATHS.resetPassword)).body);
      const check = () => visitor.postJson(SCRIPT_PATHS.passwordFeedback, { _csrf: csrf, password: PASSWORD });
      const statuses: number[] = [];
      // 2 form posts a minute here: the script gets 4 times that.
      for (let i = 0; i < 9; i += 1) statuses.push((await check()).statusCode);
      expect(statuses).toEqual([503, 503, 503, 503, 503, 503, 503, 503, 429]);
      expect((await check()).json().error.code).toBe('PORTAL_RATE_LIMITED');
      expect(limited.logs.text).toContain('password check failed');
      expect(limited.logs.leaked([PASSWORD])).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('feedbackOf', () => {
  it("says auth's reasons in the customer's language, each once, and when a password is fine", async () => {
    const translators = await createTranslators(BUNDLED_RESOURCES, 'Wallet Guard');
    const zh = translators('zh-CN');
    const refused = feedbackOf(
      [
        { reason: 'common', message: 'This is one of the most common passwords' },
        { reason: 'too_weak', message: 'easy', feedback: { warning: null, suggestions: [] } },
        { reason: 'something_new', message: 'x' },
        { reason: 'another_new', message: 'y' },
      ],
      zh,
    );
    expect(refused).toEqual({
      acceptable: false,
      summary: '此密码不能使用：',
      problems: [zh('reset.reasons.common'), zh('reset.reasons.too_weak'), zh('reset.reasons.other')],
    });
    expect(refused.problems[0]).toContain('常见密码');
    expect(feedbackOf([], translators('en'))).toEqual({
      acceptable: true,
      summary: 'This password can be used.',
      problems: [],
    });
  });
});
