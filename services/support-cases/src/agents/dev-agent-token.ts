import { DEV_AGENT_PUBLIC_JWK } from '@wallet-guard/config';
import { importJWK, SignJWT } from 'jose';

/**
 * The private half of the development agent key. Public on purpose: it only signs tokens that a
 * development support-cases accepts, because production refuses DEV_AGENT_PUBLIC_JWK.
 */
const DEV_AGENT_PRIVATE_JWK = { ...DEV_AGENT_PUBLIC_JWK, d: '_M32Of1vVKjQCDWyTI_5Y_GbSJbu49hXn5DAYdMDI40' };

export interface DevTokenRequest {
  role?: string;
  agent: string;
  hours?: number;
  issuer: string;
  audience: string;
  /** The service's cap on a token's lifetime (CASES_AGENT_TOKEN_MAX_AGE_SECONDS); `hours` is cut to it. */
  maxAgeSeconds?: number;
  /** When it is issued: now by default; tests give their service's clock. */
  issuedAt?: Date;
}

/**
 * A token like an identity provider would issue (sub = agent name, role claim, `iat` and `exp`),
 * signed with the dev key. It lives `hours` (8 by default), never longer than `maxAgeSeconds`.
 */
export async function signDevAgentToken({
  role,
  agent,
  hours = 8,
  issuer,
  audience,
  maxAgeSeconds,
  issuedAt: at = new Date(),
}: DevTokenRequest): Promise<string> {
  const key = await importJWK(DEV_AGENT_PRIVATE_JWK, 'EdDSA');
  const issuedAt = Math.floor(at.getTime() / 1000);
  const lifetime = Math.min(Math.round(hours * 3600), maxAgeSeconds ?? Number.POSITIVE_INFINITY);
  return new SignJWT(role ? { role } : {})
    .setProtectedHeader({ alg: 'EdDSA', kid: DEV_AGENT_PUBLIC_JWK.kid })
    .setSubject(agent)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .sign(key);
}
