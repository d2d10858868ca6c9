import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { ipClient, ipRetryAfter } from '../lockout/ip-throttle';
import { completeSignIn, type TokenPair } from '../sessions/sign-in';
import { findMfaChallenge, mfaBinding } from '../two-factor/mfa-challenges';
import { startAuthentication, verifyAssertion } from './ceremonies';
import type { AuthenticationResponse } from './webauthn-json';

type Ceremony = { ceremonyId: string; options: PublicKeyCredentialRequestOptionsJSON };

/** A client IP over its failure budget is told to wait (429), as for passwords, before any work. */
async function refuseThrottledIp(ctx: AuthContext, context: ClientContext): Promise<void> {
  if (!context.ip) return;
  const { lockout } = ctx.config;
  const retryAfter = await ipRetryAfter(
    ctx.db,
    ipClient(context.ip, lockout),
    ctx.clock(),
    lockout.ipFailuresPerMinute,
  );
  if (retryAfter === null) return;
  ctx.metrics.signIns.inc({ outcome: 'rate_limited' });
  throw authErrors.rateLimited(retryAfter);
}

/** Options for a usernameless sign-in: no `allowCredentials`, the browser offers our discoverable passkeys. */
export async function passkeySignInOptions(ctx: AuthContext, context: ClientContext): Promise<Ceremony> {
  await refuseThrottledIp(ctx, context);
  return startAuthentication(ctx, { purpose: 'sign_in', accountId: null });
}

/**
 * Usernameless sign-in: the passkey names the account (its credential id, and the user handle
 * when sent). Verified and counted by `verifyAssertion` on the sign-in counter of the request's
 * source (so a stranger's failures do not lock the owner's known device); a locked or frozen
 * account gets the same 401 AUTH_PASSKEY_REJECTED as a bad signature. A passkey with user
 * verification is a multi-factor cryptographic authenticator (NIST SP 800-63B-4 §3.1.7), so the
 * session is aal 2 with `amr` [hwk|swk, user] and acr `urn:wallet-guard:acr:aal2:phishing-resistant`.
 */
export async function signInWithPasskey(
  ctx: AuthContext,
  input: { ceremonyId: string; response: AuthenticationResponse; context: ClientContext },
): Promise<TokenPair> {
  await refuseThrottledIp(ctx, input.context);
  let assertion: Awaited<ReturnType<typeof verifyAssertion>>;
  try {
    assertion = await verifyAssertion(ctx, {
      ceremonyId: input.ceremonyId,
      response: input.response,
      purpose: 'sign_in',
      accountId: null,
      context: input.context,
    });
  } catch (error) {
    ctx.metrics.signIns.inc({ outcome: 'rejected' });
    throw error;
  }
  return completeSignIn(ctx, {
    account: assertion.account,
    context: input.context,
    amr: assertion.amr,
    aal: 2,
    counter: assertion.counter,
  });
}

/**
 * Passkey options for the second sign-in step, bound to this mfaToken (whose attempts it does not
 * spend): `allowCredentials` lists the account's passkeys. 401 AUTH_INVALID_TOKEN for an unknown,
 * used, expired or spent token; 404 AUTH_PASSKEY_NOT_FOUND when the account has no passkey.
 */
export async function secondStepOptions(ctx: AuthContext, mfaToken: string): Promise<Ceremony> {
  const { mfaTokenMaxAttempts } = ctx.config.twoFactor;
  const challenge = await findMfaChallenge(ctx.db, mfaToken, ctx.clock(), mfaTokenMaxAttempts);
  if (!challenge) throw authErrors.invalidToken();
  return startAuthentication(ctx, {
    purpose: 'second_step',
    accountId: challenge.accountId,
    boundTo: mfaBinding(mfaToken),
  });
}
