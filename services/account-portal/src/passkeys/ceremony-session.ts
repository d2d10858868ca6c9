import type { AuthPasskeyProof } from '@wallet-guard/contracts';
import { authWebAuthnResponse } from '@wallet-guard/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * What a passkey ceremony was started for, so its answer serves that action only: the
 * usernameless sign-in, the second sign-in step, adding a passkey, a step-up (auth's purposes),
 * or approving one payment.
 */
export type CeremonyPurpose =
  | 'sign_in'
  | 'second_step'
  | 'registration'
  | 'unlock'
  | 'password_reset'
  | 'password_change'
  | 'disable'
  | 'regenerate'
  | 'payment_confirmation';

/**
 * A ceremony auth started for this browser: its id stays in the encrypted session (never in the
 * page or a URL), so only the browser that asked for the options can send their answer, and only
 * to the action they were asked for. `boundTo` names the one thing it was started for (the
 * confirmation id of a payment).
 */
export interface PendingCeremony {
  purpose: CeremonyPurpose;
  ceremonyId: string;
  boundTo?: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    passkeyCeremony: PendingCeremony;
  }
}

/** Keeps the ceremony auth just started for this session (one at a time: a newer one replaces it). */
export function rememberCeremony(request: FastifyRequest, ceremony: PendingCeremony): void {
  request.session.set('passkeyCeremony', ceremony);
}

/**
 * The ceremony id of this session's pending ceremony when it was started for `purpose` (and
 * `boundTo`), forgotten once read: auth's ceremonies are single use anyway. Undefined otherwise.
 */
function takeCeremony(request: FastifyRequest, purpose: CeremonyPurpose, boundTo?: string): string | undefined {
  const pending = request.session.get('passkeyCeremony');
  if (!pending || pending.purpose !== purpose || pending.boundTo !== boundTo) return undefined;
  request.session.set('passkeyCeremony', undefined);
  return pending.ceremonyId;
}

/** The longest `passkeyResponse` a form may carry: a registration answer with attestation `none` is about 1.5 KB. */
export const MAX_PASSKEY_RESPONSE_LENGTH = 8_000;

/** What a form's `passkeyResponse` field came to. */
export type PostedPasskey =
  /** No passkey in this post: the form was sent with a code or a password. */
  | { kind: 'none' }
  | { kind: 'proof'; proof: AuthPasskeyProof }
  /** A passkey answer with no matching ceremony in this session (expired, used, or another action's). */
  | { kind: 'expired' }
  /** Not a WebAuthn answer at all. */
  | { kind: 'malformed' };

/**
 * The passkey proof of a form post: the browser's answer (`@simplewebauthn/browser`'s JSON, W3C
 * WebAuthn Level 3 `PublicKeyCredential.toJSON()`) with this session's ceremony for `purpose`.
 * The answer's shape is checked here so a broken one is explained, not sent; auth verifies the rest.
 * Never throws.
 */
export function postedPasskey(
  request: FastifyRequest,
  field: string | undefined,
  purpose: CeremonyPurpose,
  boundTo?: string,
): PostedPasskey {
  if (!field) return { kind: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch {
    return { kind: 'malformed' };
  }
  const response = authWebAuthnResponse.safeParse(parsed);
  if (!response.success) return { kind: 'malformed' };
  const ceremonyId = takeCeremony(request, purpose, boundTo);
  if (!ceremonyId) return { kind: 'expired' };
  return { kind: 'proof', proof: { ceremonyId, response: response.data } };
}
