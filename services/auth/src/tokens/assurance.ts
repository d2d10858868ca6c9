/**
 * The assurance a sign-in reached, as the OIDC `acr` claim our access tokens and introspection
 * carry, named after NIST SP 800-63B-4's authenticator assurance levels:
 * - `aal1`: a password alone;
 * - `aal2`: a password with a second factor (TOTP `otp`, a recovery code `recovery`);
 * - `aal2:phishing-resistant`: a passkey was used (RFC 8176 `hwk` or `swk`): WebAuthn binds the
 *   answer to our origin and RP id, which SP 800-63B-4 §3.2.5 counts as phishing resistance.
 * Derived from the session's `amr` and `aal`, so it never disagrees with them.
 */
export type Acr =
  | 'urn:wallet-guard:acr:aal1'
  | 'urn:wallet-guard:acr:aal2'
  | 'urn:wallet-guard:acr:aal2:phishing-resistant';

export function acrOf(amr: readonly string[], aal: number): Acr {
  if (amr.includes('hwk') || amr.includes('swk')) return 'urn:wallet-guard:acr:aal2:phishing-resistant';
  return aal >= 2 ? 'urn:wallet-guard:acr:aal2' : 'urn:wallet-guard:acr:aal1';
}
