import type { ClientContext } from '@wallet-guard/contracts';
import type { Account } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { admission, locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, decrementFailures, incrementFailures, resetFailures } from '../lockout/lockout-store';
import { recordFailure } from '../lockout/password-attempt';
import type { SecondFactorMethod, StepUpProof, StepUpPurpose } from './second-factor-provider';

/** A right second factor: its RFC 8176 method and every method it proves (a passkey adds `user`). */
export interface SecondFactorProof {
  method: SecondFactorMethod;
  amr: string[];
}

/**
 * Checks a second-factor proof under the lockout rules of `counter`: counted before it is checked
 * (so concurrent guesses each take a number), refused unchecked while the counter is locked or the
 * account frozen, and a failure at the threshold locks as for passwords. A passkey counts exactly
 * like a code. Every refusal is the same 401: AUTH_PASSKEY_REJECTED when the proof was a passkey,
 * AUTH_SECOND_FACTOR_INVALID otherwise, so a locked account cannot be told from a wrong proof. A
 * passkey answer to an unknown, used or expired ceremony gives its number back (nothing was
 * tried) and is 400 AUTH_PASSKEY_CHALLENGE_INVALID.
 */
export async function checkSecondFactor(
  ctx: AuthContext,
  input: {
    account: Account;
    counter: CounterKey;
    proof: StepUpProof;
    context: ClientContext;
    purpose: StepUpPurpose;
    /** What a passkey ceremony must be bound to (the second sign-in step's mfa challenge). */
    boundTo?: string | undefined;
    /** The second sign-in step's token: an e-mailed code is checked with it. */
    mfaToken?: string | undefined;
  },
): Promise<SecondFactorProof> {
  const { account, counter, context } = input;
  const now = ctx.clock();
  const settings = ctx.config.lockout;
  const state = await incrementFailures(ctx.db, counter, now, settings);
  const admitted = admission(state, now, settings);
  const verdict =
    admitted.kind === 'verify' && account.status === 'active'
      ? await ctx.secondFactor.verify({
          account,
          proof: input.proof,
          context,
          purpose: input.purpose,
          boundTo: input.boundTo,
          mfaToken: input.mfaToken,
        })
      : { outcome: 'rejected' as const };
  if (verdict.outcome === 'accepted') {
    await resetFailures(ctx.db, counter, now);
    return { method: verdict.method, amr: verdict.amr };
  }
  if (verdict.outcome === 'challenge_invalid') {
    await decrementFailures(ctx.db, counter, now);
    throw authErrors.passkeyChallengeInvalid();
  }
  const passkey = input.proof.passkey !== undefined;
  const target = { emailKey: counter.emailKey, account, sources: undefined, context };
  await recordFailure(
    ctx,
    target,
    account.status === 'frozen'
      ? { outcome: 'rejected', reason: 'frozen', key: counter, failures: state.failures, locks: false }
      : admitted.kind === 'refused'
        ? { outcome: 'rejected', reason: 'locked', key: counter, failures: admitted.failures, locks: false }
        : {
            outcome: 'rejected',
            reason: passkey ? 'wrong_passkey' : 'wrong_second_factor',
            key: counter,
            failures: admitted.position,
            locks: locksOnFailure(admitted.position, settings),
          },
  );
  throw passkey ? authErrors.passkeyRejected() : authErrors.secondFactorInvalid();
}

/** The account's own counter for step-ups (see `requireStepUp`). */
export const stepUpCounter = (account: Account): CounterKey => ({
  emailKey: emailKey(account.emailNormalized),
  subject: 'step-up',
});

/**
 * Unlock, reset, password change, disabling two-factor, new recovery codes and removing a passkey
 * need a valid second factor when two-factor is on (TOTP or a passkey; a missing proof is a wrong
 * one). They count on the account's own `step-up` counter: unlock and reset happen while the
 * sign-in counter is locked, and must not become a way around it to guess codes. Returns the
 * proof's methods, none when two-factor is off.
 */
export async function requireStepUp(
  ctx: AuthContext,
  account: Account,
  proof: StepUpProof,
  context: ClientContext,
  purpose: Exclude<StepUpPurpose, 'sign_in'>,
): Promise<SecondFactorProof | undefined> {
  if (!(await ctx.secondFactor.isEnabled(account.id))) return undefined;
  return checkSecondFactor(ctx, { account, counter: stepUpCounter(account), proof, context, purpose });
}
