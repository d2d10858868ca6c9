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
}

/** A token like an identity provider would issue (sub = agent name, role claim), signed with the dev key. */
export async function signDevAgentToken({
  role,
  agent,
  hours = 8,
  issuer,
  audience,
}: DevTokenRequest): Promise<string> {
  const key = await importJWK(DEV_AGENT_PRIVATE_JWK, 'EdDSA');
  return new SignJWT(role ? { role } : {})
    .setProtectedHeader({ alg: 'EdDSA', kid: DEV_AGENT_PUBLIC_JWK.kid })
    .setSubject(agent)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(key);
}
