import type { AuthTokenPair, ClientContext } from '@wallet-guard/contracts';
import type { AuthClient } from '../auth/auth-client';

/** What the password step came to, in the terms the sign-in page explains. */
export type PasswordStepOutcome =
  | { kind: 'signed-in'; pair: AuthTokenPair }
  | { kind: 'second-step'; mfaToken: string }
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
    return 'mfaRequired' in body ? { kind: 'second-step', mfaToken: body.mfaToken } : { kind: 'signed-in', pair: body };
  }
  if (answer.outcome === 'refused') return answer.status === 429 ? { kind: 'rate-limited' } : { kind: 'refused' };
  return { kind: 'unavailable' };
}

export type SecondStepOutcome =
  | { kind: 'signed-in'; pair: AuthTokenPair }
  /** Wrong code (or any code while the account is locked or frozen: auth answers alike). */
  | { kind: 'wrong-code' }
  /** The mfaToken expired or used its tries: back to the password. */
  | { kind: 'start-again' }
  | { kind: 'unavailable' };

/** The second step with an authenticator code or a recovery code. Never throws. */
export async function signInSecondStep(
  auth: AuthClient,
  input: { mfaToken: string; code?: string; recoveryCode?: string; context: ClientContext; requestId?: string },
): Promise<SecondStepOutcome> {
  const { requestId, ...body } = input;
  const answer = await auth.signInSecondFactor({ body, requestId });
  if (answer.outcome === 'ok') return { kind: 'signed-in', pair: answer.body };
  if (answer.outcome === 'refused') {
    return answer.code === 'AUTH_SECOND_FACTOR_INVALID' ? { kind: 'wrong-code' } : { kind: 'start-again' };
  }
  return { kind: 'unavailable' };
}
