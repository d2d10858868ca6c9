// The customers' side, through auth's public API as the wallet backend calls it (X-Api-Key).
import { generate } from 'otplib';
import { expectStatus, send } from './http-client';
import { authContext, type Device, type Person } from './people';

const WALLET = { 'x-api-key': 'dev-wallet-key' };

interface Tokens {
  accessToken: string;
}
const asUser = (accessToken: string) => ({ ...WALLET, authorization: `Bearer ${accessToken}` });

export async function register(auth: string, p: Person): Promise<string> {
  const body = { email: p.email, password: p.password, locale: p.locale, context: authContext(p.phone) };
  const answer = await send(auth, 'POST', '/v1/accounts', { body, headers: WALLET });
  return expectStatus<{ accountId: string }>(answer, 201, `register ${p.name}`).accountId;
}

/** Someone guessing: `attempts` wrong passwords from a device the account never used. */
export async function guessPasswords(auth: string, p: Person, from: Device, attempts: number): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const body = { email: p.email, password: `wrong-guess-${i}-${p.name}`, context: authContext(from) };
    expectStatus(await send(auth, 'POST', '/v1/sessions', { body, headers: WALLET }), 401, `wrong password ${i + 1}`);
  }
}

/** The RFC 6238 code of a base32 secret `stepsAhead` 30-second steps from now (auth allows one). */
const totpCode = (secret: string, stepsAhead = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

/** The owner turns two-factor on from their phone; returns the recovery codes auth shows once. */
export async function enrolTwoFactor(auth: string, p: Person): Promise<{ secret: string; recoveryCodes: string[] }> {
  const body = { email: p.email, password: p.password, context: authContext(p.phone) };
  const signedIn = await send(auth, 'POST', '/v1/sessions', { body, headers: WALLET });
  const headers = asUser(expectStatus<Tokens>(signedIn, 200, 'owner sign-in').accessToken);
  const started = await send(auth, 'POST', '/v1/accounts/me/totp', { headers });
  const { secret } = expectStatus<{ secret: string }>(started, 201, 'start 2FA');
  const confirm = { code: await totpCode(secret), context: authContext(p.phone) };
  const { recoveryCodes } = expectStatus<{ recoveryCodes: string[] }>(
    await send(auth, 'POST', '/v1/accounts/me/totp/confirm', { body: confirm, headers }),
    200,
    'confirm 2FA',
  );
  return { secret, recoveryCodes };
}

/**
 * The takeover: the thief has the password and relays a code phished from the owner (the next
 * step's: the step the owner's confirmation used is spent), signs in from a new device, then turns
 * two-factor off with a phished recovery code.
 */
export async function takeOver(
  auth: string,
  p: Person,
  stolen: { secret: string; recoveryCodes: string[] },
  from: Device,
): Promise<void> {
  const context = authContext(from);
  const first = expectStatus<{ mfaToken: string }>(
    await send(auth, 'POST', '/v1/sessions', {
      body: { email: p.email, password: p.password, context },
      headers: WALLET,
    }),
    200,
    'thief sign-in',
  );
  const second = { mfaToken: first.mfaToken, code: await totpCode(stolen.secret, 1), context };
  const session = expectStatus<Tokens>(
    await send(auth, 'POST', '/v1/sessions/mfa', { body: second, headers: WALLET }),
    200,
    'thief second factor',
  );
  const off = { password: p.password, recoveryCode: stolen.recoveryCodes[0], context };
  expectStatus(
    await send(auth, 'DELETE', '/v1/accounts/me/totp', { body: off, headers: asUser(session.accessToken) }),
    204,
    'thief turns 2FA off',
  );
}
