import type { ClientContext } from '@wallet-guard/contracts';
import type { Account } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { admission, locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, incrementFailures, resetFailures } from '../lockout/lockout-store';
import { recordFailure } from '../lockout/password-attempt';
import type { SecondFactorMethod, StepUpProof, StepUpPurpose } from './second-factor-provider';

/**
 * Checks a second-factor proof under the lockout rules of `counter`: counted before it is checked
 * (so concurrent guesses each take a number), refused unchecked while the counter is locked or the
 * account frozen, and a failure at the threshold locks as for passwords. Every refusal is the same
 * 401 AUTH_SECOND_FACTOR_INVALID, so a locked account cannot be told from a wrong code.
 */
export async function checkSecondFactor(
  ctx: AuthContext,
  input: { account: Account; counter: CounterKey; proof: StepUpProof; context: ClientContext; purpose: StepUpPurpose },
): Promise<SecondFactorMethod> {
  const { account, counter, context } = input;
  const now = ctx.clock();
  const settings = ctx.config.lockout;
  const state = await incrementFailures(ctx.db, counter, now, settings);
  const admitted = admission(state, now, settings);
  const method =
    admitted.kind === 'verify' && account.status === 'active'
      ? await ctx.secondFactor.verify({ account, proof: input.proof, context, purpose: input.purpose })
      : null;
  if (method) {
    await resetFailures(ctx.db, counter, now);
    return method;
  }
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
            reason: 'wrong_second_factor',
            key: counter,
            failures: admitted.position,
            locks: locksOnFailure(admitted.position, settings),
          },
  );
  throw authErrors.secondFactorInvalid();
}

/**
 * Unlock, reset, password change, disabling two-factor and new recovery codes need a valid code
 * when two-factor is on (a missing one is a wrong one). They count on the account's own `step-up`
 * counter: unlock and reset happen while the sign-in counter is locked, and must not become a way
 * around it to guess codes.
 */
export async function requireStepUp(
  ctx: AuthContext,
  account: Account,
  proof: StepUpProof,
  context: ClientContext,
  purpose: Exclude<StepUpPurpose, 'sign_in'>,
): Promise<void> {
  if (!(await ctx.secondFactor.isEnabled(account.id))) return;
  const counter = { emailKey: emailKey(account.emailNormalized), subject: 'step-up' };
  await checkSecondFactor(ctx, { account, counter, proof, context, purpose });
}
