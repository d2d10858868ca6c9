// Kind 3: the per-IP throttle counts a client, not a spelling. After the budget is spent from one
// address, the same address written expanded or in upper case, another address of the same IPv6
// /64, and an IPv4 address written `::ffff:a.b.c.d` are all throttled; another /64 is not.
import { SoftwareAuthenticator } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, uniqueEmail } from '../testing/harness';
import { codeOf, passkeySignIn } from '../testing/passkeys';

const BUDGET = 3;
const WRONG = 'not-the-password-at-all';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth({ env: { AUTH_IP_FAILURES_PER_MINUTE: String(BUDGET) } });
});
afterAll(() => auth.close());

async function spendBudget(ip: string): Promise<void> {
  for (let i = 0; i < BUDGET; i++) {
    expect((await auth.signIn(uniqueEmail('nobody'), WRONG, { ip })).statusCode).toBe(401);
  }
}

const status = async (ip: string) => {
  const res = await auth.signIn(uniqueEmail('nobody'), WRONG, { ip });
  return res.statusCode === 429 ? res.json().error.code : res.statusCode;
};

describe('per-IP throttle keys', () => {
  it('throttles every spelling of an IPv6 address and every address of its /64', async () => {
    await spendBudget('2001:db8:7:1::5');
    expect(await status('2001:0DB8:0007:0001:0000:0000:0000:0005')).toBe('AUTH_RATE_LIMITED');
    expect(await status('2001:DB8:7:1::5')).toBe('AUTH_RATE_LIMITED');
    expect(await status('2001:db8:7:1:ffff:abcd:1234:9')).toBe('AUTH_RATE_LIMITED');
    expect(await status('2001:db8:7:2::5')).toBe(401);
  });

  it('throttles an IPv4 address written as an IPv4-mapped IPv6 address, and the other way round', async () => {
    await spendBudget('198.51.100.23');
    expect(await status('::ffff:198.51.100.23')).toBe('AUTH_RATE_LIMITED');
    expect(await status('0:0:0:0:0:FFFF:c633:6417')).toBe('AUTH_RATE_LIMITED');
    await spendBudget('::FFFF:198.51.100.24');
    expect(await status('198.51.100.24')).toBe('AUTH_RATE_LIMITED');
    expect(await status('198.51.100.25')).toBe(401);
  });

  it('records the canonical IP on the session and in events, whatever the spelling', async () => {
    const { accountId, email, password } = await auth.register();
    const res = await auth.signIn(email, password, { ip: '2001:0DB8:0000:0000:0000:0000:0000:00A1' });
    expect(res.statusCode).toBe(200);
    const [event] = await auth.securityEvents(accountId, 'sign_in.succeeded');
    expect(event?.payload).toMatchObject({ context: { ip: '2001:db8::a1' } });
    const sessions = await auth.wallet({ method: 'GET', url: '/v1/sessions' }, res.json().accessToken);
    expect(sessions.json().items[0].ip).toBe('2001:db8::a1');
  });
});

describe('passkey answers from credentials nobody registered', () => {
  it('count against the source IP like passwords for unknown e-mails, then 429', async () => {
    const ip = '198.51.100.77';
    const sprayer = new SoftwareAuthenticator();
    sprayer.register({
      challenge: Buffer.alloc(32, 1).toString('base64url'),
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'AAAA', name: 'x', displayName: 'x' },
    });
    for (let i = 0; i < BUDGET; i++) {
      expect(codeOf(await passkeySignIn(auth, sprayer, {}, { ip }))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    }
    expect(await status(ip)).toBe('AUTH_RATE_LIMITED');
    // Another client is not held back by it.
    expect(await status('198.51.100.78')).toBe(401);
  });
});
