import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, uniqueEmail } from './testing/harness';

// Whoever can call reset or unlock must not learn from the answer, or from how long it took,
// whether an account exists (sign-in, reset) or whether a token was ever issued (unlock).
const TRIES = 100;
const WARM_UP = 5;
/** measure() runs at most this often per check (see indistinguishable). */
const ATTEMPTS = 3;

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

interface Distribution {
  median: number;
  q1: number;
  q3: number;
}

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number;
  return { median: at(0.5), q1: at(0.25), q3: at(0.75) };
}

/** Each median inside the other's interquartile range: an observer cannot tell the two apart. */
const overlap = (a: Distribution, b: Distribution) =>
  a.median >= b.q1 && a.median <= b.q3 && b.median >= a.q1 && b.median <= a.q3;

const describeRun = (run: Record<string, Distribution>) =>
  Object.entries(run)
    .map(([kind, d]) => `${kind} ${d.median.toFixed(2)} ms (IQR ${d.q1.toFixed(2)}-${d.q3.toFixed(2)})`)
    .join(', ');

/**
 * Interleaved tries of every kind (in rotating order, so background work after one request does
 * not always land on the same next kind): the set of answers seen and each kind's timing.
 */
async function measure(kinds: Record<string, () => Promise<LightMyRequestResponse>>) {
  const names = Object.keys(kinds);
  const timings: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const answers = new Set<string>();
  for (let i = 0; i < TRIES + WARM_UP; i++) {
    const order = [...names.slice(i % names.length), ...names.slice(0, i % names.length)];
    for (const name of order) {
      const started = process.hrtime.bigint();
      const res = await (kinds[name] as () => Promise<LightMyRequestResponse>)();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      answers.add(`${res.statusCode} ${res.body}`);
      if (i >= WARM_UP) timings[name]?.push(elapsed);
    }
  }
  return { answers: [...answers], run: Object.fromEntries(names.map((n) => [n, distribution(timings[n] ?? [])])) };
}

/** Up to three runs (a burst of load elsewhere can skew one); a real difference shows in all. */
async function indistinguishable(what: string, kinds: Record<string, () => Promise<LightMyRequestResponse>>) {
  const seen: string[] = [];
  let last: Awaited<ReturnType<typeof measure>> | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    last = await measure(kinds);
    seen.push(describeRun(last.run));
    const runs = Object.values(last.run);
    if (runs.every((a) => runs.every((b) => overlap(a, b)))) break;
  }
  const result = last as Awaited<ReturnType<typeof measure>>;
  console.log(`${what}: ${seen.at(-1)}`);
  const runs = Object.values(result.run);
  expect(
    runs.every((a) => runs.every((b) => overlap(a, b))),
    seen.join('; '),
  ).toBe(true);
  return result;
}

describe('account enumeration', () => {
  it(`password reset: the same 202 for an unknown, an active and a frozen account, timings overlapping over ${TRIES} tries`, async () => {
    const active = await auth.register();
    const frozen = await auth.register();
    const res = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    expect(res.statusCode).toBe(204);
    // Straight to the server, not through `auth.wallet` (which waits for the work after the answer).
    const reset = (email: string) => () =>
      auth.server.inject({
        method: 'POST',
        url: '/v1/password-resets',
        headers: { 'x-api-key': 'dev-wallet-key' },
        payload: { email, context: {} },
      });
    const { answers } = await indistinguishable('password reset', {
      unknown: reset(uniqueEmail('nobody')),
      active: reset(active.email),
      frozen: reset(frozen.email),
    });
    expect(answers).toEqual(['202 {"status":"accepted"}']);
    // The known account did get its link (the work happened, only after the answer).
    await auth.background.settled();
    await expect(latestToken(auth, active.accountId, 'notification.password_reset_link')).resolves.toMatch(/^rs_/);
  });

  it(`sign-in: the same 401 for an unknown email, a wrong password, a locked and a frozen account, timings overlapping over ${TRIES} tries`, async () => {
    // The wrong-password side needs an account that is not locked yet: a fresh one every 4 tries,
    // enough for every attempt indistinguishable() may make.
    // One at a time: a burst of registrations would overflow the hashing queue (503 AUTH_BUSY).
    const pool: { email: string }[] = [];
    while (pool.length < Math.ceil((ATTEMPTS * (TRIES + WARM_UP)) / 4)) pool.push(await auth.register());
    let tries = 0;
    const locked = await auth.register();
    for (let i = 0; i < 5; i++) await auth.signIn(locked.email, 'Wrong-password-attempt-42');
    const frozen = await auth.register();
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    const signIn = (email: () => string) => () =>
      auth.server.inject({
        method: 'POST',
        url: '/v1/sessions',
        headers: { 'x-api-key': 'dev-wallet-key' },
        payload: { email: email(), password: 'Wrong-password-attempt-42' },
      });
    const unknown = uniqueEmail('nobody');
    const { answers } = await indistinguishable('sign-in', {
      unknown: signIn(() => unknown),
      wrong: signIn(() => (pool[Math.floor(tries++ / 4)] as { email: string }).email),
      locked: signIn(() => locked.email),
      // The right password of a frozen account: refused like the rest.
      frozen: () =>
        auth.server.inject({
          method: 'POST',
          url: '/v1/sessions',
          headers: { 'x-api-key': 'dev-wallet-key' },
          payload: { email: frozen.email, password: frozen.password },
        }),
    });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^401 .*AUTH_INVALID_CREDENTIALS/);
  });

  it(`unlock: the same 401 for an unknown, a used and an expired token, timings overlapping over ${TRIES} tries`, async () => {
    const lockOut = async () => {
      const account = await auth.register();
      for (let i = 0; i < 5; i++) await auth.signIn(account.email, 'Wrong-password-attempt-42');
      return latestToken(auth, account.accountId, 'notification.unlock_link');
    };
    const used = await lockOut();
    const unlocked = await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: used } });
    expect(unlocked.statusCode).toBe(204);
    const expired = await lockOut();
    auth.clock.advance(2 * 3600); // past the unlock link's hour
    const unlock = (token: string) => () => auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token } });
    const { answers } = await indistinguishable('unlock', {
      unknown: unlock(`ul_${randomBytes(32).toString('base64url')}`),
      used: unlock(used),
      expired: unlock(expired),
    });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^401 .*AUTH_INVALID_TOKEN/);
  });
});
