import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import type { StepUpPurpose } from '../step-up/second-factor-provider';
import { peekOneTimeToken } from '../tokens/one-time-tokens';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { startAuthentication } from './ceremonies';

/** The step-ups a passkey can answer, each a ceremony of its own. */
export type PasskeyStepUpPurpose = Exclude<StepUpPurpose, 'sign_in'>;

/** Unlock and reset happen signed out: the e-mail link's token says whose account it is. */
const BY_TOKEN = { unlock: 'unlock', password_reset: 'password_reset' } as const;

/**
 * Options for a passkey step-up, bound to its purpose (an answer made for a password change does
 * not unlock). Unlock and password reset identify the account by the e-mail link's `token`
 * (checked, not used up: the unlock or reset uses it); every other purpose by the signed-in
 * `user`. 401 AUTH_INVALID_TOKEN / AUTH_INVALID_ACCESS_TOKEN without them; 404
 * AUTH_PASSKEY_NOT_FOUND when the account has no passkey (only the token's or bearer's owner can
 * learn that: no enumeration).
 */
export async function stepUpOptions(
  ctx: AuthContext,
  input: { purpose: PasskeyStepUpPurpose; token?: string | undefined; user: AuthenticatedUser | null },
): Promise<{ ceremonyId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  let accountId: string | undefined;
  if (input.purpose === 'unlock' || input.purpose === 'password_reset') {
    accountId =
      input.token === undefined
        ? undefined
        : await peekOneTimeToken(ctx.db, BY_TOKEN[input.purpose], input.token, ctx.clock());
    if (!accountId) throw authErrors.invalidToken();
  } else {
    if (!input.user) throw authErrors.invalidAccessToken();
    accountId = input.user.accountId;
  }
  return startAuthentication(ctx, { purpose: 'step_up', accountId, boundTo: input.purpose });
}
