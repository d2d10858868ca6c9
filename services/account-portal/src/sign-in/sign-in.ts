import type { AuthPasskeyProof, AuthSecondFactorMethod, AuthTokenPair, ClientContext } from '@wallet-guard/contracts';
import type { AuthClient } from '../auth/auth-client';

/** What the password step came to, in the terms the sign-in page explains. */
export type PasswordStepOutcome =
  | { kind: 'signed-in'; pair: AuthTokenPair }
  /** `methods`: what the account's second step takes (`totp`, `recovery`, `passkey`; or `email_code` alone). */
  | { kind: 'second-step'; mfaToken: string; methods: AuthSecondFactorMethod[] }
  /** Wrong e-mail or password, or a locked or frozen account: auth does not say which, nor do we. */
  | { kind: 'refused' }
  /** Too many failures from this IP (auth's 429). */
  | { kind: 'rate-limited' }
  | { kind: 'unavailable' };

/**
 * The password step: asks auth, keeps its enumeration-safety (every refusal is one outcome),
 * and tells the second step apart. Never throws.
 */
export async function signInWithPassword(
  auth: AuthClient,
  input: { email: string; password: string; context: ClientContext; requestId?: string },
): Promise<PasswordStepOutcome> {
  const answer = await auth.signIn({
    body: { email: input.email, password: input.password, context: input.context },
    requestId: input.requestId,
  });
  if (answer.outcome === 'ok') {
    const body = answer.body;
    return 'mfaRequired' in body
      ? { kind: 'second-step', mfaToken: body.mfaToken, methods: body.methods }
      : { kind: 'signed-in', pair: body };
  }
  if (answer.outcome === 'refused') return answer.status === 429 ? { kind: 'rate-limited' } : { kind: 'refused' };
  return { kind: 'unavailable' };
}

export type SecondStepOutcome =
  | { kind: 'signed-in'; pair: AuthTokenPair }
  /** Wrong code (or any code while the account is locked or frozen: auth answers alike). */
  | { kind: 'wrong-code' }
  /** The passkey's answer did not verify (AUTH_PASSKEY_REJECTED): one of the step's tries is used. */
  | { kind: 'passkey-refused' }
  /** The passkey ceremony expired or was used (AUTH_PASSKEY_CHALLENGE_INVALID): press the button again. */
  | { kind: 'passkey-expired' }
  /** The mfaToken expired or used its tries: back to the password. */
  | { kind: 'start-again' }
  | { kind: 'unavailable' };

/**
 * The second step with an authenticator code, a recovery code, a passkey or the e-mailed code (one
 * of them). Never throws.
 */
export async function signInSecondStep(
  auth: AuthClient,
  input: {
    mfaToken: string;
    code?: string;
    recoveryCode?: string;
    passkey?: AuthPasskeyProof;
    emailCode?: string;
    context: ClientContext;
    requestId?: string;
  },
): Promise<SecondStepOutcome> {
  const { requestId, ...body } = input;
  const answer = await auth.signInSecondFactor({ body, requestId });
  if (answer.outcome === 'ok') return { kind: 'signed-in', pair: answer.body };
  if (answer.outcome === 'refused') {
    if (answer.code === 'AUTH_SECOND_FACTOR_INVALID') return { kind: 'wrong-code' };
    if (answer.code === 'AUTH_PASSKEY_REJECTED') return { kind: 'passkey-refused' };
    if (answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID') return { kind: 'passkey-expired' };
    return { kind: 'start-again' };
  }
  return { kind: 'unavailable' };
}

export type PasskeySignInOutcome =
  | { kind: 'signed-in'; pair: AuthTokenPair }
  /**
   * Not accepted: an unknown passkey, a signature that does not verify, a cloned authenticator
   * (its counter went backwards), a locked or frozen account. Auth gives one answer; so do we.
   */
  | { kind: 'refused' }
  /** The ceremony expired or was used: press the button again. */
  | { kind: 'expired' }
  | { kind: 'rate-limited' }
  | { kind: 'unavailable' };

/**
 * The usernameless sign-in: the browser's assertion for the ceremony this session started
 * (a discoverable credential, user verification required). Never throws.
 */
export async function signInWithPasskey(
  auth: AuthClient,
  input: { passkey: AuthPasskeyProof; context: ClientContext; requestId?: string },
): Promise<PasskeySignInOutcome> {
  const answer = await auth.signInWithPasskey({
    body: { ...input.passkey, context: input.context },
    requestId: input.requestId,
  });
  if (answer.outcome === 'ok') return { kind: 'signed-in', pair: answer.body };
  if (answer.outcome === 'unavailable') return { kind: 'unavailable' };
  if (answer.status === 429) return { kind: 'rate-limited' };
  return answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID' ? { kind: 'expired' } : { kind: 'refused' };
}
