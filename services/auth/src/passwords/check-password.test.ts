import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, strongPassword, uniqueEmail } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

// The harness notes every password sent here for the run's log scan; each test checks its own too.
const check = (payload: { password: string; email?: string }) =>
  auth.wallet({ method: 'POST', url: '/v1/password-policy/check', payload });
/** What a check could have written: accounts, password history, events and notifications. */
const storedRows = () =>
  Promise.all(
    (['auth_accounts', 'auth_password_history', 'outbox'] as const).map(
      async (table) =>
        (
          await auth.db.db
            .selectFrom(table)
            .select(({ fn }) => fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
    ),
  );
const reasonsOf = (res: { json(): { violations: { reason: string }[] } }) => res.json().violations.map((v) => v.reason);

describe('POST /v1/password-policy/check', () => {
  it('names a common password, with the strength advice the page shows', async () => {
    const res = await check({ password: '1qaz2wsx3edc' });
    expect(res.statusCode).toBe(200);
    expect(reasonsOf(res)).toEqual(expect.arrayContaining(['common', 'too_weak']));
    const weak = res.json().violations.find((v: { reason: string }) => v.reason === 'too_weak');
    expect(weak.feedback.suggestions.length + (weak.feedback.warning ? 1 : 0)).toBeGreaterThan(0);
  });

  it('names a short password', async () => {
    expect(reasonsOf(await check({ password: 'Zq9!rT' }))).toContain('too_short');
  });

  it('accepts a strong password, with or without an e-mail, and stores nothing', async () => {
    const before = await storedRows();
    const password = strongPassword();
    expect(reasonsOf(await check({ password }))).toEqual([]);
    expect(reasonsOf(await check({ password, email: uniqueEmail() }))).toEqual([]);
    expect(await storedRows()).toEqual(before);
    expect(auth.logs.leaked([password])).toEqual([]);
  });

  it('names the e-mail inside the password only when the e-mail is given', async () => {
    const email = uniqueEmail('grace.hopper');
    const password = `Quill-${email}-harbour`;
    expect(reasonsOf(await check({ password, email }))).toContain('contains_email');
    expect(reasonsOf(await check({ password }))).not.toContain('contains_email');
    expect(auth.logs.leaked([password])).toEqual([]);
  });

  it('needs the wallet key and a password', async () => {
    const anonymous = await auth.server.inject({
      method: 'POST',
      url: '/v1/password-policy/check',
      payload: { password: strongPassword() },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await auth.wallet({ method: 'POST', url: '/v1/password-policy/check', payload: {} })).statusCode).toBe(400);
  });

  it('is documented with its errors', async () => {
    const spec = (await auth.server.inject({ url: '/docs/json' })).json();
    const operation = spec.paths['/v1/password-policy/check'].post;
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '503']);
  });
});
