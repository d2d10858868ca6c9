import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, strongPassword, uniqueEmail } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const create = (payload: Record<string, unknown>) => auth.wallet({ method: 'POST', url: '/v1/accounts', payload });

describe('registration', () => {
  it('creates an account (201), hashes the password with argon2id and records account.created', async () => {
    const email = uniqueEmail('Ada');
    const password = strongPassword();
    const res = await create({ email: ` ${email} `, password, locale: 'de-AT', context: { ip: '203.0.113.7' } });
    expect(res.statusCode).toBe(201);
    const { accountId } = res.json();
    const row = await auth.db.db
      .selectFrom('auth_accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email, email_normalized: email.toLowerCase(), locale: 'de-AT', status: 'active' });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(password);
    expect((await auth.securityEvents(accountId, 'account.created')).map((e) => e.payload)).toMatchObject([
      { context: { ip: '203.0.113.7' } },
    ]);
  });

  it('answers 409 AUTH_EMAIL_TAKEN for the same email in another case, spacing or Unicode form', async () => {
    const { email } = await auth.register({ email: uniqueEmail('grace') });
    for (const variant of [email.toUpperCase(), `  ${email}`, email.replace('@', '\uFF20').normalize('NFKC')]) {
      const res = await create({ email: variant, password: strongPassword() });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'AUTH_EMAIL_TAKEN']);
    }
    // Two registrations at once: the unique index lets exactly one through.
    const racing = uniqueEmail('race');
    const answers = await Promise.all([0, 1, 2].map(() => create({ email: racing, password: strongPassword() })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it('answers 422 AUTH_PASSWORD_POLICY with machine-readable reasons and messages', async () => {
    const email = uniqueEmail('ada.lovelace');
    const res = await create({ email, password: `${email.split('@')[0]}!!` });
    expect(res.statusCode).toBe(422);
    const { code, details } = res.json().error;
    expect(code).toBe('AUTH_PASSWORD_POLICY');
    expect(details.reasons.map((r: { reason: string }) => r.reason)).toContain('contains_email');
    for (const r of details.reasons) expect(typeof r.message).toBe('string');
  });

  it('answers malformed input with 400 and never echoes the password', async () => {
    for (const payload of [
      {},
      { email: 'not-an-email', password: 'Quill-secret-Xy19' },
      { email: 'a@b.co', password: 7 },
    ]) {
      const res = await create(payload);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'AUTH_VALIDATION_FAILED']);
      expect(res.body).not.toContain('Quill-secret-Xy19');
    }
  });
});

describe('internal account view', () => {
  it('shows status, lock state, two-factor, created and last sign-in to the internal scope only', async () => {
    const { accountId, email, password } = await auth.register();
    await auth.signIn(email, password);
    const url = `/internal/v1/accounts/${accountId}`;
    expect((await auth.wallet({ method: 'GET', url })).statusCode).toBe(403);
    const view = (await auth.internal({ method: 'GET', url })).json();
    expect(view).toMatchObject({
      accountId,
      email,
      status: 'active',
      frozen: null,
      locked: false,
      twoFactorEnabled: false,
      activeSessions: 1,
    });
    expect(Date.parse(view.createdAt)).toBeLessThanOrEqual(Date.parse(view.lastLoginAt));
    const missing = await auth.internal({
      method: 'GET',
      url: '/internal/v1/accounts/00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect((await auth.internal({ method: 'GET', url: '/internal/v1/accounts/not-a-uuid' })).statusCode).toBe(400);
  });

  it('pages the security events newest first with before/limit', async () => {
    const { accountId, email, password } = await auth.register();
    for (let i = 0; i < 3; i++) await auth.signIn(email, password);
    const url = `/internal/v1/accounts/${accountId}/security-events`;
    // Each sign-in: its risk decision, then the sign-in (agents see both).
    const first = (await auth.internal({ method: 'GET', url: `${url}?limit=4` })).json();
    expect(first.items.map((e: { type: string }) => e.type)).toEqual([
      'sign_in.succeeded',
      'sign_in.risk_assessed',
      'sign_in.succeeded',
      'sign_in.risk_assessed',
    ]);
    const second = (await auth.internal({ method: 'GET', url: `${url}?limit=4&before=${first.nextBefore}` })).json();
    expect(second.items.map((e: { type: string }) => e.type)).toEqual([
      'sign_in.succeeded',
      'sign_in.risk_assessed',
      'account.created',
    ]);
    expect(second.nextBefore).toBeNull();
    const all = [...first.items, ...second.items].map((e: { eventId: string }) => e.eventId);
    expect(new Set(all).size).toBe(7);
    expect((await auth.internal({ method: 'GET', url: `${url}?before=abc` })).statusCode).toBe(400);
    expect((await auth.wallet({ method: 'GET', url })).statusCode).toBe(403);
  });
});
