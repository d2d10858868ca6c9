import type { ClientContext } from '@wallet-guard/contracts';
import type { Account } from '../accounts/accounts-store';
import type { CounterKey } from '../lockout/lockout-store';

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
 * What the two-factor capability plugs into sign-in and every step-up (`two-factor/totp-second-factor.ts`
 * implements it). The seam keeps sessions and the step-up check free of two-factor imports
 * (two-factor calls `completeSignIn`). An implementation is built once with what it needs, so
 * this interface names nothing of the application context.
 */
export interface SecondFactorProvider {
  /** Whether the account must show a second factor after its password, and for every step-up. */
  isEnabled(accountId: string): Promise<boolean>;
  /**
   * The password was right: open the second step and return its token. The step that checks the
   * code counts on `counter` and calls `completeSignIn` when it is right.
   */
  challenge(input: { account: Account; context: ClientContext; counter: CounterKey }): Promise<{ mfaToken: string }>;
  /** The method `proof` is a valid code of, now, using it up (a code is good once); null when it is not. */
  verify(input: {
    account: Account;
    proof: StepUpProof;
    context: ClientContext;
    purpose: StepUpPurpose;
  }): Promise<SecondFactorMethod | null>;
}
