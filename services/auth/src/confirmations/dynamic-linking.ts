import { createHash } from 'node:crypto';

/** The payment details a passkey assertion for a confirmation signs (through its challenge). */
export interface LinkedDetails {
  confirmationId: string;
  transactionId: string;
  /** Integer minor units as a decimal string. */
  amountMinor: string;
  currency: string;
  /** `payeeHash({ kind, id })`. */
  payeeHash: string;
}

/** Bytes of randomness mixed into every confirmation challenge, so no two ceremonies share one. */
export const CHALLENGE_NONCE_BYTES = 16;

/**
 * RFC 8785 (JSON Canonicalization Scheme) of an object of strings: members sorted by their names'
 * UTF-16 code units, no white space, strings escaped as ECMAScript's JSON.stringify does. The same
 * details always give the same bytes, whoever serialises them.
 */
export function canonicalJson(members: Readonly<Record<string, string>>): string {
  const names = Object.keys(members).sort();
  return `{${names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(members[name])}`).join(',')}}`;
}

/**
 * The WebAuthn challenge of a payment confirmation (dynamic linking, PSD2 RTS art. 5(1)(a)-(b)):
 * SHA-256(canonical JSON of the details || nonce). The authenticator signs clientDataJSON, which
 * holds this challenge, so the assertion is an approval of these details and no others; the
 * nonce keeps it unpredictable and single-ceremony (W3C WebAuthn L3 §13.4.3 asks for at least 16
 * random bytes). Pure.
 */
export function confirmationChallenge(details: LinkedDetails, nonce: Uint8Array): Uint8Array {
  if (nonce.length < CHALLENGE_NONCE_BYTES) throw new RangeError(`the nonce must be ${CHALLENGE_NONCE_BYTES} bytes`);
  const canonical = canonicalJson({
    confirmationId: details.confirmationId,
    transactionId: details.transactionId,
    amountMinor: details.amountMinor,
    currency: details.currency,
    payeeHash: details.payeeHash,
  });
  return new Uint8Array(createHash('sha256').update(canonical, 'utf8').update(nonce).digest());
}
