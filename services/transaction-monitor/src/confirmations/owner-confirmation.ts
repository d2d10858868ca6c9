/**
 * What a valid payment confirmation token bound to the transaction being scored says about it
 * (auth's `POST /v1/confirmations/:id/approve`): the owner approved exactly this payment.
 */
export interface OwnerConfirmation {
  /** The confirmation id (the token's `jti`): what flags record, never the token. */
  confirmationId: string;
  /** Approved with a passkey (acr `...:aal2:phishing-resistant`), not a code that can be phished in real time. */
  phishingResistant: boolean;
}

/** The `acr` of an approval with a passkey (auth's `authAcr`). */
export const PHISHING_RESISTANT_ACR = 'urn:wallet-guard:acr:aal2:phishing-resistant';

/** Outcomes of checking a token, as counted (`monitor_confirmation_tokens_total`) and logged. */
export type ConfirmationCheck =
  | { outcome: 'confirmed'; confirmation: OwnerConfirmation }
  /** Not a valid confirmation token of auth's: signature, type, audience, expiry, claims. */
  | { outcome: 'invalid' }
  /** A valid token for another account, transaction, amount, currency or payee. */
  | { outcome: 'mismatch'; fields: string[] }
  /** auth's key set could not be fetched: the transaction is scored unconfirmed. */
  | { outcome: 'unavailable' };
