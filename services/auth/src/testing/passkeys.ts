// Passkey helpers for this service's tests (imported by *.test.ts only): the ceremonies driven
// through the API with the software authenticator of @wallet-guard/testing, which builds its
// answers from node:crypto alone, so the tests do not trust the code under test.
import { type AssertionOverrides, SoftwareAuthenticator } from '@wallet-guard/testing';
import type { LightMyRequestResponse } from 'fastify';
import type { AuthHarness } from './harness';

export interface PasskeyUser {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  authenticator: SoftwareAuthenticator;
  passkeyId: string;
}

export const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json().error?.code,
];

/** Registration options for the signed-in user (fails the test unless 201). */
export async function registrationOptions(auth: AuthHarness, accessToken: string, payload: object = {}) {
  const res = await auth.wallet(
    { method: 'POST', url: '/v1/accounts/me/passkeys/registration-options', payload },
    accessToken,
  );
  if (res.statusCode !== 201) throw new Error(`registration options: ${res.statusCode} ${res.body}`);
  return res.json() as { ceremonyId: string; options: Parameters<SoftwareAuthenticator['register']>[0] };
}

/** Registers a passkey of `authenticator` through the API; answers the final response. */
export async function addPasskey(
  auth: AuthHarness,
  accessToken: string,
  authenticator: SoftwareAuthenticator,
  name?: string,
): Promise<LightMyRequestResponse> {
  const { ceremonyId, options } = await registrationOptions(auth, accessToken);
  return auth.wallet(
    {
      method: 'POST',
      url: '/v1/accounts/me/passkeys',
      payload: { ceremonyId, response: authenticator.register(options), ...(name ? { name } : {}) },
    },
    accessToken,
  );
}

/** Registers, signs in with the password, and adds one passkey (device-bound unless `synced`). */
export async function passkeyUser(auth: AuthHarness, options: { synced?: boolean } = {}): Promise<PasskeyUser> {
  const { accountId, email, password } = await auth.register();
  const { accessToken } = (await auth.signIn(email, password)).json();
  const authenticator = new SoftwareAuthenticator({ backupEligible: options.synced ?? false });
  const added = await addPasskey(auth, accessToken, authenticator, 'Test key');
  if (added.statusCode !== 201) throw new Error(`passkey registration failed: ${added.statusCode} ${added.body}`);
  return { accountId, email, password, accessToken, authenticator, passkeyId: added.json().id };
}

type RequestOptions = Parameters<SoftwareAuthenticator['authenticate']>[0];

/** Usernameless sign-in options. */
export async function signInOptions(auth: AuthHarness, context: Record<string, string> = {}) {
  const res = await auth.wallet({ method: 'POST', url: '/v1/passkeys/authentication-options', payload: { context } });
  if (res.statusCode !== 200) throw new Error(`authentication options: ${res.statusCode} ${res.body}`);
  return res.json() as { ceremonyId: string; options: RequestOptions };
}

/** A usernameless sign-in with `authenticator` (its answer changed by `overrides`). */
export async function passkeySignIn(
  auth: AuthHarness,
  authenticator: SoftwareAuthenticator,
  overrides: AssertionOverrides = {},
  context: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { ceremonyId, options } = await signInOptions(auth, context);
  return auth.wallet({
    method: 'POST',
    url: '/v1/sessions/passkey',
    payload: { ceremonyId, response: authenticator.authenticate(options, overrides), context },
  });
}

/** Step-up options for `purpose`, by bearer or by an e-mail link's token. */
export async function stepUpOptions(
  auth: AuthHarness,
  purpose: string,
  by: { accessToken?: string; token?: string },
): Promise<{ ceremonyId: string; options: RequestOptions }> {
  const res = await auth.wallet(
    {
      method: 'POST',
      url: '/v1/passkeys/step-up-options',
      payload: { purpose, ...(by.token ? { token: by.token } : {}) },
    },
    by.accessToken,
  );
  if (res.statusCode !== 200) throw new Error(`step-up options: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A `passkey` step-up proof for `purpose`. */
export async function stepUpProof(
  auth: AuthHarness,
  authenticator: SoftwareAuthenticator,
  purpose: string,
  by: { accessToken?: string; token?: string },
  overrides: AssertionOverrides = {},
) {
  const { ceremonyId, options } = await stepUpOptions(auth, purpose, by);
  return { ceremonyId, response: authenticator.authenticate(options, overrides) };
}

/** The decoded (unverified) claims of a JWT, for checking what the token says. */
export const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));

/** Password, then the passkey as the second step: a fresh session's access token (fails the test otherwise). */
export async function freshAccessToken(
  auth: AuthHarness,
  user: { email: string; password: string; authenticator: SoftwareAuthenticator },
): Promise<string> {
  const first = (await auth.signIn(user.email, user.password)).json();
  if (!first.mfaRequired) throw new Error(`expected the second step: ${JSON.stringify(first)}`);
  const res = await auth.wallet({
    method: 'POST',
    url: '/v1/sessions/mfa',
    payload: { mfaToken: first.mfaToken, passkey: await secondStepProof(auth, user.authenticator, first.mfaToken) },
  });
  if (res.statusCode !== 200) throw new Error(`second step failed: ${res.statusCode} ${res.body}`);
  return res.json().accessToken;
}

/** A `passkey` proof for the second sign-in step of `mfaToken`. */
export async function secondStepProof(
  auth: AuthHarness,
  authenticator: SoftwareAuthenticator,
  mfaToken: string,
  overrides: AssertionOverrides = {},
) {
  const res = await auth.wallet({ method: 'POST', url: '/v1/sessions/mfa/passkey-options', payload: { mfaToken } });
  if (res.statusCode !== 200) throw new Error(`second step options: ${res.statusCode} ${res.body}`);
  const { ceremonyId, options } = res.json();
  return { ceremonyId, response: authenticator.authenticate(options, overrides) };
}
