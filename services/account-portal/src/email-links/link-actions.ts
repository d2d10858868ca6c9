import type { AuthPasskeyProof, ClientContext } from '@wallet-guard/contracts';
import type { AuthClient } from '../auth/auth-client';

/** What an e-mail link's action came to, in the terms its page explains. */
export type LinkOutcome =
  | { kind: 'done' }
  /** Two-step verification is on and the code was missing or wrong (the token is still good). */
  | { kind: 'second-factor' }
  /** The token is unknown, used, expired or replaced: ask for a new link. */
  | { kind: 'invalid-link' }
  /** The new password breaks the policy: auth's reason codes (`too_short`, `common`, ...). */
  | { kind: 'password-refused'; reasons: string[] }
  | { kind: 'rate-limited' }
  | { kind: 'unavailable' };

type Answer =
  | { outcome: 'ok' }
  | { outcome: 'refused'; status: number; code: string | undefined; error: { details?: unknown } | undefined }
  | { outcome: 'unavailable' };

/** Auth's reason codes from a 422 AUTH_PASSWORD_POLICY; anything unreadable is "other". */
export function policyReasons(details: unknown): string[] {
  const reasons = (details as { reasons?: unknown } | undefined)?.reasons;
  if (!Array.isArray(reasons)) return ['other'];
  const codes = reasons.map((r) => (r as { reason?: unknown })?.reason).filter((r) => typeof r === 'string');
  return codes.length > 0 ? (codes as string[]) : ['other'];
}

/** Maps auth's answer to a link action; every refusal auth does not explain is an invalid link. */
function outcomeOf(answer: Answer): LinkOutcome {
  if (answer.outcome === 'ok') return { kind: 'done' };
  if (answer.outcome === 'unavailable') return { kind: 'unavailable' };
  if (answer.status === 429) return { kind: 'rate-limited' };
  // A passkey that did not verify, or whose ceremony expired: the token is still good, try again.
  if (
    answer.code === 'AUTH_SECOND_FACTOR_INVALID' ||
    answer.code === 'AUTH_PASSKEY_REJECTED' ||
    answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID'
  ) {
    return { kind: 'second-factor' };
  }
  if (answer.code === 'AUTH_PASSWORD_POLICY')
    return { kind: 'password-refused', reasons: policyReasons(answer.error?.details) };
  return { kind: 'invalid-link' };
}

interface LinkInput {
  token: string;
  context: ClientContext;
  requestId?: string;
}

/** The second factor as auth's unlock and reset take it: a code, a recovery code or a passkey. */
interface StepUp {
  code?: string;
  recoveryCode?: string;
  passkey?: AuthPasskeyProof;
}
const stepUpBody = (proof: StepUp) => ({
  ...(proof.code ? { totpCode: proof.code } : {}),
  ...(proof.recoveryCode ? { recoveryCode: proof.recoveryCode } : {}),
  ...(proof.passkey ? { passkey: proof.passkey } : {}),
});

/** Lifts the locks with an unlock e-mail's token (and the second factor when on). Never throws. */
export async function unlockWithLink(auth: AuthClient, input: LinkInput & StepUp): Promise<LinkOutcome> {
  const { requestId, token, context, ...proof } = input;
  return outcomeOf(await auth.unlockWithToken({ body: { token, context, ...stepUpBody(proof) }, requestId }));
}

/** Sets a new password with a reset e-mail's token; every session of the account ends. Never throws. */
export async function resetPasswordWithLink(
  auth: AuthClient,
  input: LinkInput & StepUp & { newPassword: string },
): Promise<LinkOutcome> {
  const { requestId, token, context, newPassword, ...proof } = input;
  return outcomeOf(
    await auth.confirmPasswordReset({ body: { token, newPassword, context, ...stepUpBody(proof) }, requestId }),
  );
}

/**
 * "This wasn't me": freezes the account with a "was this you?" e-mail's token. Auth answers 204
 * with no body; support-cases opens the P1 case from auth's event afterwards, so the case number
 * is not known here: the page says it will come by e-mail. Never throws.
 */
export async function freezeWithLink(auth: AuthClient, input: LinkInput): Promise<LinkOutcome> {
  const { requestId, token, context } = input;
  return outcomeOf(await auth.freezeWithToken({ body: { token, context }, requestId }));
}
