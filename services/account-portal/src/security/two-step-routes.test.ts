import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS } from '../route-conventions';
import { csrfOf, startTestPortal, type TestPortal } from '../testing/harness';

// With auth: tests/portal/security-page.test.ts (step-up, enrolment, turning off) and journey 3.
const FORMS: [string, Record<string, string>][] = [
  [PAGE_PATHS.twoStepStart, { password: 'a password of some length' }],
  [PAGE_PATHS.twoStepConfirm, { code: '123456' }],
  [PAGE_PATHS.twoStepOff, { password: 'a password of some length', code: '123456' }],
  [PAGE_PATHS.recoveryCodesRegenerate, { code: '123456' }],
  [PAGE_PATHS.changePassword, { currentPassword: 'a password of some length', newPassword: 'another one entirely' }],
  [PAGE_PATHS.sessionRevoke, { sessionId: '00000000-0000-4000-8000-000000000000' }],
  [PAGE_PATHS.sessionsRevokeOthers, {}],
  [PAGE_PATHS.freezeOwnAccount, {}],
  [PAGE_PATHS.recoveryCodesDownload, { codes: 'aaaaa-bbbbb ccccc-ddddd' }],
];

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await portal?.close();
});

describe('the security page without a session', () => {
  it('sends a visitor who is not signed in to sign-in', async () => {
    const page = await portal.visitor().get(PORTAL_PATHS.security);
    expect([page.statusCode, page.headers.location]).toEqual([303, PAGE_PATHS.signIn]);
  });

  it("refuses every security form posted without this session's CSRF token", async () => {
    for (const [path, fields] of FORMS) {
      const visitor = portal.visitor();
      const csrf = csrfOf((await visitor.get(PAGE_PATHS.signIn)).body);
      const missing = await visitor.post(path, fields);
      expect([path, missing.statusCode, missing.headers['x-error-code']]).toEqual([path, 403, 'PORTAL_CSRF_REJECTED']);
      // With the token, the form gets past CSRF: not signed in, so on to sign-in.
      const sent = await visitor.post(path, { ...fields, _csrf: csrf });
      expect([path, sent.statusCode, sent.headers.location]).toEqual([path, 303, PAGE_PATHS.signIn]);
    }
  });
});
