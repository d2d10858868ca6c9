// The passkey part of the public contract (`authPublicApi` in @wallet-guard/contracts, which the
// portal calls through createServiceClient) against the running service: every passkey route is
// served with that method and path, and real answers parse with the contract's schemas.
import { authIntrospection, authPublicApi } from '@wallet-guard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import { passkeySignIn, passkeyUser, registrationOptions, signInOptions, stepUpOptions } from '../testing/passkeys';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const PASSKEY_ENDPOINTS = [
  'signInPasskeyOptions',
  'passkeyAuthenticationOptions',
  'signInWithPasskey',
  'passkeyStepUpOptions',
  'listPasskeys',
  'startPasskeyRegistration',
  'registerPasskey',
  'renamePasskey',
  'removePasskey',
] as const;

describe('the passkey contract', () => {
  it('names routes the service serves, with their methods', async () => {
    const spec = (await auth.server.inject({ url: '/docs/json' })).json() as { paths: Record<string, object> };
    for (const name of PASSKEY_ENDPOINTS) {
      const { method, path } = authPublicApi[name];
      const openApiPath = path.replace(/:([a-z]+)/g, '{$1}');
      expect([name, Object.keys(spec.paths[openApiPath] ?? {})]).toEqual([
        name,
        expect.arrayContaining([method.toLowerCase()]),
      ]);
    }
  });

  it("parses the service's real answers with the contract's schemas", async () => {
    const user = await passkeyUser(auth);
    const listed = await auth.wallet({ method: 'GET', url: '/v1/accounts/me/passkeys' }, user.accessToken);
    expect(authPublicApi.listPasskeys.responses[200].safeParse(listed.json()).success).toBe(true);
    const started = await registrationOptions(auth, user.accessToken);
    expect(authPublicApi.startPasskeyRegistration.responses[201].safeParse(started).success).toBe(true);
    expect(authPublicApi.passkeyAuthenticationOptions.responses[200].safeParse(await signInOptions(auth)).success).toBe(
      true,
    );
    const stepUp = await stepUpOptions(auth, 'password_change', { accessToken: user.accessToken });
    expect(authPublicApi.passkeyStepUpOptions.responses[200].safeParse(stepUp).success).toBe(true);

    const mfa = (await auth.signIn(user.email, user.password)).json();
    expect(authPublicApi.signIn.responses[200].parse(mfa)).toEqual(mfa);
    const signedIn = await passkeySignIn(auth, user.authenticator);
    expect(authPublicApi.signInWithPasskey.responses[200].safeParse(signedIn.json()).success).toBe(true);
    const introspected = await auth.wallet({
      method: 'POST',
      url: '/v1/tokens/introspect',
      payload: { token: signedIn.json().accessToken },
    });
    expect(authIntrospection.parse(introspected.json())).toMatchObject({
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    // The browser's answer as the contract describes it is what the service takes.
    const { ceremonyId, options } = await signInOptions(auth);
    const body = { ceremonyId, response: user.authenticator.authenticate(options), context: {} };
    expect(authPublicApi.signInWithPasskey.body.safeParse(body).success).toBe(true);
  });
});
