// Kind 6 (what the service tells strangers), for auth: a sign-in attempt for an unknown email, a
// wrong password, a locked and a frozen account moves the service's metrics in exactly the same
// way (every series of its registry compared, not only the sign-in counter), and every answer
// that carries a token, a secret or recovery codes says `Cache-Control: no-store`.
// The process's shared registry (event bus) is left out on purpose: it counts published events,
// and security events exist only for accounts; in production /metrics answers only a key with the
// `metrics` scope (tests/security/operations.test.ts), i.e. operators who can read the events anyway.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, strongPassword, uniqueEmail } from './testing/harness';
import { base32Decode, mfaTokenFor, nextCode, secondStep } from './testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

/** Series that move with time or load rather than with what was asked (durations, process, queue). */
const VOLATILE = /(_bucket|_sum)\{|^process_|^nodejs_|^auth_hashing_in_use/;

async function scrape(): Promise<Map<string, number>> {
  const text = (await auth.server.inject({ url: '/metrics' })).body;
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || VOLATILE.test(line) || !line.includes('service="auth"')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** Which series one attempt moved, and by how much. */
async function movedBy(attempt: () => Promise<LightMyRequestResponse>): Promise<Record<string, number>> {
  const before = await scrape();
  const res = await attempt();
  expect([res.statusCode, res.json().error.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
  const after = await scrape();
  const moved: Record<string, number> = {};
  for (const [name, value] of after) {
    const delta = value - (before.get(name) ?? 0);
    if (delta !== 0) moved[name] = delta;
  }
  return moved;
}

describe('what a stranger can learn', () => {
  it('gets /metrics moved the same way by an unknown email, a wrong password, a locked and a frozen account', async () => {
    const WRONG = 'not-the-password-at-all';
    const plain = await auth.register();
    const locked = await auth.register();
    for (let i = 0; i < auth.config.lockout.threshold; i++) await auth.signIn(locked.email, WRONG);
    expect((await auth.signIn(locked.email, locked.password)).statusCode).toBe(401);
    const frozen = await auth.register();
    const frozeIt = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { actor: 'agent-ada', reason: 'test' },
    });
    expect(frozeIt.statusCode).toBeLessThan(300);

    const unknown = await movedBy(() => auth.signIn(uniqueEmail('nobody'), WRONG));
    expect(unknown).toEqual(expect.objectContaining({ 'auth_sign_ins_total{outcome="rejected",service="auth"}': 1 }));
    expect(await movedBy(() => auth.signIn(plain.email, WRONG))).toEqual(unknown);
    expect(await movedBy(() => auth.signIn(locked.email, locked.password))).toEqual(unknown);
    expect(await movedBy(() => auth.signIn(frozen.email, frozen.password))).toEqual(unknown);
    const text = (await auth.server.inject({ url: '/metrics' })).body;
    expect(text).not.toMatch(/unknown_email|wrong_password|outcome="locked"|outcome="frozen"/);
  });

  it('finds Cache-Control: no-store on every answer that carries a token, a secret or codes', async () => {
    const answers: [string, LightMyRequestResponse][] = [];
    const { email, password } = await auth.register({ password: strongPassword() });
    const signedIn = await auth.signIn(email, password);
    answers.push(['sign-in', signedIn]);
    const { accessToken, refreshToken } = signedIn.json();
    const refreshed = await auth.wallet({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } });
    answers.push(['refresh', refreshed]);
    const token = refreshed.json().accessToken;
    answers.push([
      'introspection',
      await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } }),
    ]);
    answers.push(['session list', await auth.wallet({ method: 'GET', url: '/v1/sessions' }, token)]);
    const started = await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp', payload: {} }, token);
    answers.push(['TOTP enrolment', started]);
    const secret = base32Decode(started.json().secret);
    const confirm = { code: nextCode(auth, secret) };
    answers.push([
      'TOTP confirmation',
      await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp/confirm', payload: confirm }, token),
    ]);
    const regenerate = { code: nextCode(auth, secret) };
    answers.push([
      'new recovery codes',
      await auth.wallet({ method: 'POST', url: '/v1/accounts/me/recovery-codes', payload: regenerate }, token),
    ]);
    answers.push(['mfa sign-in step one', await auth.signIn(email, password)]);
    const mfaToken = await mfaTokenFor(auth, { email, password });
    answers.push(['mfa sign-in step two', await secondStep(auth, { mfaToken, code: nextCode(auth, secret) })]);
    answers.push(['a refused sign-in', await auth.signIn(email, 'wrong-password-here')]);
    void accessToken;

    const missing = answers
      .filter(([, res]) => res.headers['cache-control'] !== 'no-store')
      .map(([what, res]) => `${what} (${res.statusCode}): ${res.headers['cache-control']}`);
    expect(missing).toEqual([]);
    expect(answers.filter(([, res]) => res.statusCode >= 300).map(([what]) => what)).toEqual(['a refused sign-in']);
  });
});
