import type { ClientContext } from '@wallet-guard/contracts';
import { findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { completeSignIn, type TokenPair } from '../sessions/sign-in';
import type { StepUpProof } from '../step-up/second-factor-provider';
import { checkSecondFactor } from '../step-up/step-up-check';
import { closeMfaChallenge, mfaBinding, takeMfaAttempt } from './mfa-challenges';

/**
 * The second sign-in step: the mfaToken of a right password and a code, a recovery code, a
 * passkey (answering a ceremony bound to this mfaToken, `mfaBinding`) or the e-mailed code of a
 * stepped-up sign-in. Each try spends one of the token's attempts (it dies after the last, or 5
 * minutes; 10 for an e-mailed code) and counts on the password's lockout counter; a locked or
 * frozen account gets the same 401 as a wrong code. A right factor starts the session at aal 2 with
 * `amr` [pwd, otp], [pwd, recovery], or [pwd, hwk|swk, user]; an e-mailed code at aal 1 with
 * [pwd, email] (e-mail is no authentication factor: see `email-code/email-code.ts`). The session
 * carries the step's restriction (a leaked password: it may only change it).
 */
export async function signInWithSecondFactor(
  ctx: AuthContext,
  input: { mfaToken: string; context: ClientContext } & StepUpProof,
): Promise<TokenPair> {
  const now = ctx.clock();
  const { mfaTokenMaxAttempts } = ctx.config.twoFactor;
  const challenge = await takeMfaAttempt(ctx.db, input.mfaToken, now, mfaTokenMaxAttempts);
  const account = challenge ? await findAccount(ctx.db, challenge.accountId) : undefined;
  if (!challenge || !account) throw authErrors.invalidToken();
  // The wallet may send the context again, or not: what the password step saw fills the gaps.
  const context = { ...challenge.context, ...input.context };
  const proof = await checkSecondFactor(ctx, {
    account,
    counter: challenge.counter,
    proof: input,
    context,
    purpose: 'sign_in',
    boundTo: mfaBinding(input.mfaToken),
    mfaToken: input.mfaToken,
  });
  if (!(await closeMfaChallenge(ctx.db, input.mfaToken, now))) throw authErrors.invalidToken();
  return completeSignIn(ctx, {
    account,
    context,
    amr: ['pwd', ...proof.amr],
    aal: proof.method === 'email' ? 1 : 2,
    counter: challenge.counter,
    restriction: challenge.restriction,
  });
}
