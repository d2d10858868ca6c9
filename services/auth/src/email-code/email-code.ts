import { createHmac, randomInt } from 'node:crypto';

/**
 * The one-time code e-mailed when a risky sign-in of an account without any second factor is
 * stepped up (issue 16): 6 digits from the CSPRNG, valid AUTH_EMAIL_CODE_TTL_SECONDS (600), once.
 *
 * What it proves, and what it does not:
 * - amr: RFC 8176 registers no e-mail method. `otp` names one-time passwords of HOTP/TOTP
 *   generators (RFC 4226, RFC 6238), i.e. possession of a device; a code sent by e-mail proves
 *   control of the mailbox instead, so a relying party that reads `otp` as "an OTP device was
 *   shown" would be misled. `mca` (multiple channels) says nothing of which. RFC 8176 §2 leaves
 *   other values to agreement between the parties, so the session carries the private value
 *   `email` (amr ['pwd', 'email']), documented in the auth README and the introspection contract.
 * - aal: 1, acr `urn:wallet-guard:acr:aal1`. NIST SP 800-63B §5.1.3.1 does not allow e-mail as an
 *   out-of-band channel (it proves no possession of a specific device), so the code adds a check of
 *   the mailbox against account takeover, not a second authentication factor: the session is
 *   no more than a password session, and whatever needs aal2 still needs a real factor.
 */
export const EMAIL_CODE_AMR = 'email';

/** 6 digits, leading zeros kept: 10^6 codes, each as likely (`randomInt` is unbiased). */
export function newEmailCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * HMAC-SHA-256 of the code keyed with the second step's mfaToken. The database keeps only the
 * token's SHA-256, never the token, so a copy of it cannot be searched for the code (a plain or
 * salted hash of 10^6 possible codes could be, in a moment). The token has 256 random bits.
 */
export function emailCodeHash(mfaToken: string, code: string): string {
  return createHmac('sha256', mfaToken).update(code, 'utf8').digest('hex');
}
