import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import type { SessionRestriction } from '@wallet-guard/db';
import type { Account } from '../accounts/accounts-store';
import type { CounterKey } from '../lockout/lockout-store';

/**
 * A proof for a step-up: an authenticator code, a recovery code, or a passkey's answer to a
 * ceremony started for this step (`POST /v1/passkeys/step-up-options` or, for the second sign-in
 * step, `POST /v1/sessions/mfa/passkey-options`). `emailCode`, the code e-mailed for a stepped-up
 * sign-in of an account without a factor, is good for that second sign-in step only.
 */
export interface StepUpProof {
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
  passkey?: { ceremonyId: string; response: AuthenticationResponseJSON } | undefined;
  emailCode?: string | undefined;
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

/**
 * Method of a right proof, as its amr value: RFC 8176 `otp`, `hwk` a device-bound passkey, `swk` a
 * synced one; `recovery` and `email` are ours (documented in `email-code/email-code.ts`).
 */
export type SecondFactorMethod = 'otp' | 'recovery' | 'hwk' | 'swk' | 'email';

/**
 * What the second sign-in step offers: the account's factors, or `email_code` alone (a
 * stepped-up sign-in of an account without any factor: the code was e-mailed).
 */
export const SECOND_FACTOR_KINDS = ['totp', 'recovery', 'passkey', 'email_code'] as const;
export type SecondFactorKind = (typeof SECOND_FACTOR_KINDS)[number];

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
   * code counts on `counter` and calls `completeSignIn` when it is right, with `restriction` (a
   * leaked password: the session may only change it). `emailCode`: e-mail a 6-digit code to the
   * account's address (through the outbox and the notifier) and accept only it; `methods` says what
   * the step takes (['email_code'] then, else the account's factors).
   */
  challenge(input: {
    account: Account;
    context: ClientContext;
    counter: CounterKey;
    emailCode?: boolean | undefined;
    restriction?: SessionRestriction | undefined;
  }): Promise<{ mfaToken: string; methods: SecondFactorKind[] }>;
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
    /** The second sign-in step's own token (an e-mailed code is keyed with it). */
    mfaToken?: string | undefined;
  }): Promise<SecondFactorVerdict>;
}
