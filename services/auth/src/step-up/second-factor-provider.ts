import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import type { Account } from '../accounts/accounts-store';
import type { CounterKey } from '../lockout/lockout-store';

/**
 * A proof for a step-up: an authenticator code, a recovery code, or a passkey's answer to a
 * ceremony started for this step (`POST /v1/passkeys/step-up-options` or, for the second sign-in
 * step, `POST /v1/sessions/mfa/passkey-options`).
 */
export interface StepUpProof {
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
  passkey?: { ceremonyId: string; response: AuthenticationResponseJSON } | undefined;
}

/** What the proof is shown for (a recovery code used to replace or drop its own set warns nobody). */
export type StepUpPurpose =
  | 'sign_in'
  | 'unlock'
  | 'password_reset'
  | 'password_change'
  | 'disable'
  | 'regenerate'
  | 'remove_passkey';

/** RFC 8176 method of a right proof: `hwk` a device-bound passkey, `swk` a synced one. */
export type SecondFactorMethod = 'otp' | 'recovery' | 'hwk' | 'swk';

/** The second factors an account can show: what the second sign-in step offers. */
export type SecondFactorKind = 'totp' | 'recovery' | 'passkey';

/**
 * A proof checked: accepted with its RFC 8176 methods (a passkey adds `user`, its user
 * verification), rejected, or `challenge_invalid` (a passkey answer to an unknown, used, expired
 * or mismatched ceremony: no factor was tried).
 */
export type SecondFactorVerdict =
  | { outcome: 'accepted'; method: SecondFactorMethod; amr: string[] }
  | { outcome: 'rejected' }
  | { outcome: 'challenge_invalid' };

/**
 * What the two-factor capability plugs into sign-in and every step-up (`two-factor/totp-second-factor.ts`
 * with passkeys from `passkeys/passkey-second-factor.ts` implements it). The seam keeps sessions and
 * the step-up check free of two-factor imports (two-factor calls `completeSignIn`). An
 * implementation is built once with what it needs, so this interface names nothing of the
 * application context.
 */
export interface SecondFactorProvider {
  /** Whether the account must show a second factor after its password, and for every step-up: TOTP on or a passkey. */
  isEnabled(accountId: string): Promise<boolean>;
  /** The kinds of second factor the account can show now (empty when none). */
  methods(accountId: string): Promise<SecondFactorKind[]>;
  /**
   * The password was right: open the second step and return its token. The step that checks the
   * code counts on `counter` and calls `completeSignIn` when it is right.
   */
  challenge(input: { account: Account; context: ClientContext; counter: CounterKey }): Promise<{ mfaToken: string }>;
  /**
   * Checks `proof` now, using it up (a code is good once, a ceremony too). A passkey answer must
   * answer a ceremony started for `purpose` (`boundTo`: the mfa challenge of a second sign-in step).
   */
  verify(input: {
    account: Account;
    proof: StepUpProof;
    context: ClientContext;
    purpose: StepUpPurpose;
    boundTo?: string | undefined;
  }): Promise<SecondFactorVerdict>;
}
