import {
  type AuthAcr,
  CONFIRMATION_TOKEN_AUDIENCE,
  CONFIRMATION_TOKEN_TYPE,
  type ConfirmationClaims,
  confirmationClaims,
} from '@wallet-guard/contracts';
import { jwtVerify, SignJWT } from 'jose';
import { type SigningKeys, verificationKeyOf } from '../tokens/signing-keys';

/** What an approval binds into its token: the account, the confirmation and the payment's details. */
export interface ConfirmationBinding {
  accountId: string;
  confirmationId: string;
  transactionId: string;
  /** Integer minor units as a decimal string (exact for any 64-bit amount). */
  amountMinor: string;
  currency: string;
  /** `payeeHash({ kind, id })` from `@wallet-guard/contracts`. */
  payeeHash: string;
  amr: readonly string[];
  acr: AuthAcr;
}

/**
 * Payment confirmation tokens: EdDSA JWTs (RFC 7519, RFC 8037) signed with auth's access-token
 * keys, so anyone verifies them with `/.well-known/jwks.json`, yet typed `confirmation+jwt` and
 * addressed to `wallet-guard:payment-confirmation`, so neither kind of token passes for the other
 * (RFC 8725 sections 3.11 and 3.9). Claims: see `confirmationClaims` in `@wallet-guard/contracts`.
 */
export class ConfirmationTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    readonly ttlSeconds: number,
  ) {}

  async sign(binding: ConfirmationBinding, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({
      txn: binding.transactionId,
      amt: binding.amountMinor,
      cur: binding.currency,
      payee_hash: binding.payeeHash,
      amr: [...binding.amr],
      acr: binding.acr,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keys.current.kid, typ: CONFIRMATION_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(CONFIRMATION_TOKEN_AUDIENCE)
      .setSubject(binding.accountId)
      .setJti(binding.confirmationId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.keys.current.privateKey);
  }

  /**
   * The claims of a token of ours that is well formed and unexpired at `now`; null for anything
   * else (bad signature, unknown key, other type or audience, missing or malformed claim). Never throws.
   */
  async verify(token: string, now: Date): Promise<ConfirmationClaims | null> {
    try {
      const { payload } = await jwtVerify(token, verificationKeyOf(this.keys), {
        algorithms: ['EdDSA'],
        issuer: this.issuer,
        audience: CONFIRMATION_TOKEN_AUDIENCE,
        typ: CONFIRMATION_TOKEN_TYPE,
        currentDate: now,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      const claims = confirmationClaims.safeParse(payload);
      return claims.success ? claims.data : null;
    } catch {
      return null;
    }
  }
}
