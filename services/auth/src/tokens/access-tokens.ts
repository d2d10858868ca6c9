import { randomUUID } from 'node:crypto';
import type { AuthConfig } from '@wallet-guard/config';
import type { SessionRestriction } from '@wallet-guard/db';
import { jwtVerify, SignJWT } from 'jose';
import { type Acr, acrOf } from './assurance';
import { type PublicJwk, type SigningKeys, verificationKeyOf } from './signing-keys';

/** What a valid access token says. */
export interface AccessClaims {
  /** Account id. */
  sub: string;
  /** Session id: revoking the session makes the token inactive at introspection. */
  sid: string;
  /** RFC 8176 methods: pwd, otp, recovery, hwk or swk with user (a passkey). */
  amr: string[];
  /** Authenticator assurance level: 1 password, 2 with a second factor or a passkey. */
  aal: number;
  /** The assurance reached (see `acrOf`), derived from amr and aal. */
  acr: Acr;
  /**
   * Present on a restricted session's tokens (issue 16): `password_change`, the session may only
   * change the password. Private claim, like `aal`; auth itself enforces the session's state now.
   */
  rst?: SessionRestriction;
  exp: number;
  iat: number;
}

export interface NewAccessToken {
  accountId: string;
  sessionId: string;
  amr: readonly string[];
  aal: number;
  restriction?: SessionRestriction | null | undefined;
}

/** EdDSA-signed JWT access tokens (jose), short-lived; verification accepts every published key. */
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AuthConfig['tokens'],
  ) {}

  get ttlSeconds(): number {
    return this.settings.accessTtlSeconds;
  }

  async sign(claims: NewAccessToken, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({
      sid: claims.sessionId,
      amr: [...claims.amr],
      aal: claims.aal,
      acr: acrOf(claims.amr, claims.aal),
      ...(claims.restriction ? { rst: claims.restriction } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keys.current.kid, typ: 'at+jwt' })
      .setSubject(claims.accountId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.settings.accessTtlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.current.privateKey);
  }

  /** The claims of a valid, unexpired token of ours; null for anything else. Never throws. */
  async verify(token: string, now: Date): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, verificationKeyOf(this.keys), {
        algorithms: ['EdDSA'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        currentDate: now,
        requiredClaims: ['sub', 'sid', 'amr', 'aal', 'exp', 'iat'],
      });
      const { sub, sid, amr, aal, rst, exp, iat } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof aal !== 'number') return null;
      if (!Array.isArray(amr) || !amr.every((m) => typeof m === 'string')) return null;
      if (rst !== undefined && rst !== 'password_change') return null;
      // Always derived, never read: tokens signed before `acr` existed get the same answer.
      return {
        sub,
        sid,
        amr,
        aal,
        acr: acrOf(amr, aal),
        ...(rst ? { rst } : {}),
        exp: exp as number,
        iat: iat as number,
      };
    } catch {
      return null;
    }
  }

  /** The JSON Web Key Set: current and previous public keys. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.all.map((k) => k.jwk) };
  }
}
