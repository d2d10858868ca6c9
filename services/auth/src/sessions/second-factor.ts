import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import type { Account } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthDeps } from '../deps';
import { authErrors } from '../errors';
import { admission, locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, resetFailures, takeNumber } from '../lockout/lockout-store';
import { recordFailure } from '../lockout/password-attempt';

/** A code for a step-up: an authenticator code or a recovery code. */
export interface StepUpProof {
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
}

/** What the code is shown for (a recovery code used to replace or drop its own set warns nobody). */
export type StepUpPurpose = 'sign_in' | 'unlock' | 'password_reset' | 'password_change' | 'disable' | 'regenerate';

/** RFC 8176 method of a right proof. */
export type SecondFactorMethod = 'otp' | 'recovery';

/**
 * What the two-factor capability plugs into sign-in, unlock, reset and password change. The
 * seam keeps sessions free of two-factor imports (two-factor calls `completeSignIn`).
 */
export interface SecondFactor {
  /** Whether the account must show a second factor after its password, and for every step-up. */
  isEnabled(db: Kysely<Database>, accountId: string): Promise<boolean>;
  /**
   * The password was right: open the second step and return its token. The step that checks the
   * code counts on `counter` and calls `completeSignIn` when it is right.
   */
  challenge(
    deps: AuthDeps,
    input: { account: Account; context: ClientContext; counter: CounterKey },
  ): Promise<{ mfaToken: string }>;
  /** The method `proof` is a valid code of, now, using it up (a code is good once); null when it is not. */
  verify(
    deps: AuthDeps,
    input: { account: Account; proof: StepUpProof; context: ClientContext; purpose: StepUpPurpose },
  ): Promise<SecondFactorMethod | null>;
}

/**
 * Checks a second-factor proof under the lockout rules of `counter`: counted before it is checked
 * (so concurrent guesses each take a number), refused unchecked while the counter is locked or the
 * account frozen, and a failure at the threshold locks as for passwords. Every refusal is the same
 * 401 AUTH_SECOND_FACTOR_INVALID, so a locked account cannot be told from a wrong code.
 */
export async function checkSecondFactor(
  deps: AuthDeps,
  input: { account: Account; counter: CounterKey; proof: StepUpProof; context: ClientContext; purpose: StepUpPurpose },
): Promise<SecondFactorMethod> {
  const { account, counter, context } = input;
  const now = deps.clock();
  const settings = deps.config.lockout;
  const state = await takeNumber(deps.db, counter, now, settings);
  const admitted = admission(state, now, settings);
  const method =
    admitted.kind === 'verify' && account.status === 'active'
      ? await deps.secondFactor.verify(deps, { account, proof: input.proof, context, purpose: input.purpose })
      : null;
  if (method) {
    await resetFailures(deps.db, counter, now);
    return method;
  }
  const target = { emailKey: counter.emailKey, account, sources: undefined, context };
  await recordFailure(
    deps,
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
  deps: AuthDeps,
  account: Account,
  proof: StepUpProof,
  context: ClientContext,
  purpose: Exclude<StepUpPurpose, 'sign_in'>,
): Promise<void> {
  if (!(await deps.secondFactor.isEnabled(deps.db, account.id))) return;
  const counter = { emailKey: emailKey(account.emailNormalized), subject: 'step-up' };
  await checkSecondFactor(deps, { account, counter, proof, context, purpose });
}
