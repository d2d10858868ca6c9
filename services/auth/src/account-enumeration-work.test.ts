// Account enumeration, counted rather than timed: whoever calls sign-in, reset or unlock must not
// learn from the answer, or from the work behind it, whether an account exists or a token was
// ever issued. Counting is exact on a busy machine; the timing comparison of the same cases runs
// alone in the serial step (account-enumeration.test.ts, sessions/sign-in-timing.test.ts).
import { randomBytes } from 'node:crypto';
import { recordStatements } from '@wallet-guard/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from './passwords/password-hasher';
import { type AuthHarness, latestToken, startAuth, uniqueEmail } from './testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const WRONG = 'Wrong-password-attempt-42';

/** Postgres placeholders and literal lists vary with the values; the statement is the rest. */
const shape = (statement: string) => statement.replace(/\$\d+/g, '$').replace(/\s+/g, ' ').trim();

/**
 * Each request once, straight to the server (not through `auth.wallet`, which waits for the work
 * done after answering): its answer, its argon2 verifies and the statements made before answering.
 */
async function observeAll(kinds: Record<string, () => Promise<LightMyRequestResponse>>) {
  const seen: Record<string, { answer: string; verifies: number; statements: string[] }> = {};
  for (const [name, request] of Object.entries(kinds)) {
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    try {
      const { result } = await recordStatements(async (soFar) => {
        const res = await request();
        return { res, before: soFar.map(shape) };
      });
      seen[name] = {
        answer: `${result.res.statusCode} ${result.res.body}`,
        verifies: verify.mock.calls.length,
        statements: result.before,
      };
    } finally {
      verify.mockRestore();
    }
  }
  return seen;
}

const inject = (url: string, payload: Record<string, unknown>) => () =>
  auth.server.inject({ method: 'POST', url, headers: { 'x-api-key': 'dev-wallet-key' }, payload });

describe('account enumeration, by work done', () => {
  it('sign-in: the same 401, one argon2 verify and the same statements for an unknown email, a wrong password, a locked and a frozen account', async () => {
    const wrong = await auth.register();
    const locked = await auth.register();
    for (let i = 0; i < 5; i++) await auth.signIn(locked.email, WRONG);
    const frozen = await auth.register();
    const freeze = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    expect(freeze.statusCode).toBe(204);
    const seen = await observeAll({
      unknown: inject('/v1/sessions', { email: uniqueEmail('nobody'), password: WRONG }),
      wrong: inject('/v1/sessions', { email: wrong.email, password: WRONG }),
      locked: inject('/v1/sessions', { email: locked.email, password: WRONG }),
      // The right password of a frozen account: refused like the rest.
      frozen: inject('/v1/sessions', { email: frozen.email, password: frozen.password }),
    });
    const answers = new Set(Object.values(seen).map((s) => s.answer));
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 .*AUTH_INVALID_CREDENTIALS/);
    for (const [kind, s] of Object.entries(seen)) expect(s.verifies, `argon2 verifies for ${kind}`).toBe(1);
    const { unknown, wrong: wrongPassword, locked: lockedAccount, frozen: frozenAccount } = seen;
    expect(lockedAccount?.statements).toEqual(wrongPassword?.statements);
    expect(frozenAccount?.statements).toEqual(wrongPassword?.statements);
    // An unknown email has no account to keep events for: it makes the same writes, event included,
    // in a savepoint it rolls back where a known account's is released. The same statements but that last one.
    const ending = (list: readonly string[] = []) =>
      list.map((q) => q.replace(/^(release|rollback to) savepoint/, 'end savepoint'));
    expect(ending(unknown?.statements)).toEqual(ending(wrongPassword?.statements));
    expect(unknown?.statements).toContain('rollback to savepoint security_event');
    expect(wrongPassword?.statements).toContain('release savepoint security_event');
    expect(unknown?.statements.filter((q) => /insert into "(outbox|auth_security_events)"/.test(q))).toHaveLength(2);
  });

  it('password reset: the same 202 for an unknown, an active and a frozen account, with no database work before the answer', async () => {
    const active = await auth.register();
    const frozen = await auth.register();
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    const seen = await observeAll({
      unknown: inject('/v1/password-resets', { email: uniqueEmail('nobody'), context: {} }),
      active: inject('/v1/password-resets', { email: active.email, context: {} }),
      frozen: inject('/v1/password-resets', { email: frozen.email, context: {} }),
    });
    expect(new Set(Object.values(seen).map((s) => s.answer))).toEqual(new Set(['202 {"status":"accepted"}']));
    for (const [kind, s] of Object.entries(seen)) expect(s.statements, kind).toEqual([]);
    // The work did happen, after the answer.
    await auth.background.settled();
    await expect(latestToken(auth, active.accountId, 'notification.password_reset_link')).resolves.toMatch(/^rs_/);
  });

  it('unlock: the same 401 and the same statements for an unknown, a used and an expired token', async () => {
    const lockOut = async () => {
      const account = await auth.register();
      for (let i = 0; i < 5; i++) await auth.signIn(account.email, WRONG);
      return latestToken(auth, account.accountId, 'notification.unlock_link');
    };
    const used = await lockOut();
    expect((await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: used } })).statusCode).toBe(204);
    const expired = await lockOut();
    auth.clock.advance(2 * 3600); // past the unlock link's hour
    const seen = await observeAll({
      unknown: inject('/v1/unlocks', { token: `ul_${randomBytes(32).toString('base64url')}` }),
      used: inject('/v1/unlocks', { token: used }),
      expired: inject('/v1/unlocks', { token: expired }),
    });
    const answers = new Set(Object.values(seen).map((s) => s.answer));
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 .*AUTH_INVALID_TOKEN/);
    expect(seen.used?.statements).toEqual(seen.unknown?.statements);
    expect(seen.expired?.statements).toEqual(seen.unknown?.statements);
  });
});
