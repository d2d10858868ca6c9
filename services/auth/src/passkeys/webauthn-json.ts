import { z } from 'zod';

/**
 * The browser's answers as `PublicKeyCredential.toJSON()` writes them (W3C WebAuthn Level 3
 * §5.1, `RegistrationResponseJSON` / `AuthenticationResponseJSON`), checked before
 * @simplewebauthn/server sees them: a malformed answer is 400 AUTH_VALIDATION_FAILED, never an
 * exception from inside the library. Lengths are bounded so a huge body costs nothing to refuse.
 */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be base64url without padding' });

/** A credential id: at most 1023 bytes (W3C WebAuthn L3 §6.1, credentialIdLength). */
const credentialId = base64url(1364);

const common = {
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

export const authenticationResponse = z
  .object({
    ...common,
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      signature: base64url(1024),
      /** The user handle of a discoverable credential (our account id's 16 bytes); at most 64 bytes. */
      userHandle: base64url(88).optional(),
    }),
  })
  .refine((r) => r.id === r.rawId, { message: 'id and rawId must be equal', path: ['rawId'] });

export const registrationResponse = z
  .object({
    ...common,
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(16_384),
      authenticatorData: base64url(4096).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: base64url(4096).optional(),
    }),
  })
  .refine((r) => r.id === r.rawId, { message: 'id and rawId must be equal', path: ['rawId'] });

export type AuthenticationResponse = z.infer<typeof authenticationResponse>;

/** A passkey's answer to a ceremony auth started (the `passkey` field of sign-in and step-ups). */
export const passkeyProof = z.object({ ceremonyId: z.uuid(), response: authenticationResponse });

/** What the user calls a passkey ("Work laptop"); trimmed, printable. */
export const passkeyName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, { message: 'must not hold control characters' });
