import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import {
  type ClientContext,
  type ConfirmationApproved,
  type ConfirmationPasskeyOptions,
  payeeHash,
} from '@wallet-guard/contracts';
import type { AuthContext } from '../auth-context';
import { startAuthentication, verifyAssertion } from '../passkeys/ceremonies';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { approveConfirmation, pendingConfirmation } from './confirmations';
import { CHALLENGE_NONCE_BYTES, confirmationChallenge } from './dynamic-linking';

const PURPOSE = 'payment_confirmation';

/**
 * A WebAuthn ceremony for approving the user's pending confirmation: its challenge commits to the
 * confirmation's details (`confirmationChallenge`), it is bound to this confirmation and account,
 * single use, and lists the account's passkeys (404 AUTH_PASSKEY_NOT_FOUND when it has none).
 */
export async function confirmationCeremony(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
): Promise<ConfirmationPasskeyOptions> {
  const confirmation = await pendingConfirmation(ctx, user, id);
  const challenge = confirmationChallenge(
    {
      confirmationId: confirmation.id,
      transactionId: confirmation.transactionId,
      amountMinor: confirmation.amountMinor,
      currency: confirmation.currency,
      payeeHash: payeeHash(confirmation.payee),
    },
    randomBytes(CHALLENGE_NONCE_BYTES),
  );
  const { ceremonyId, options } = await startAuthentication(ctx, {
    purpose: PURPOSE,
    accountId: user.accountId,
    challenge,
    boundTo: confirmation.id,
  });
  // The JSON as @simplewebauthn built it, passed to the browser untouched.
  return { ceremonyId, options: { ...options } };
}

/**
 * Approves with the passkey's answer to a ceremony of `confirmationCeremony` for this very
 * confirmation (another confirmation's, another purpose's or a used one is 400
 * AUTH_PASSKEY_CHALLENGE_INVALID). Counted on the account's step-up counter by `verifyAssertion`;
 * every refusal is 401 AUTH_PASSKEY_REJECTED. A passkey reaches the phishing-resistant level.
 */
export async function approveWithPasskey(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
  input: { passkey: { ceremonyId: string; response: AuthenticationResponseJSON }; context: ClientContext },
): Promise<ConfirmationApproved> {
  const confirmation = await pendingConfirmation(ctx, user, id);
  const { amr } = await verifyAssertion(ctx, {
    ceremonyId: input.passkey.ceremonyId,
    response: input.passkey.response,
    purpose: PURPOSE,
    accountId: user.accountId,
    boundTo: confirmation.id,
    context: input.context,
  });
  return approveConfirmation(
    ctx,
    user,
    confirmation,
    { method: 'passkey', amr, acr: 'urn:wallet-guard:acr:aal2:phishing-resistant' },
    input.context,
  );
}
