import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { ConfigError, type RuntimeMode, type SigningKeyInput } from '@wallet-guard/config';
import { errors, type JWSHeaderParameters } from 'jose';

export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
  jwk: PublicJwk;
}

export interface SigningKeys {
  /** Signs every new token. */
  current: VerificationKey & { privateKey: KeyObject };
  /** Current and previous keys: tokens signed by any of them verify, and the JWKS lists them all. */
  all: VerificationKey[];
  /** True when no key was configured and one was made for this process (development and test only). */
  generated: boolean;
}

const VARIABLE = 'AUTH_JWT_SIGNING_KEYS';

/**
 * Imports the configured Ed25519 keys. Without any, production refuses to start (tokens signed by
 * a per-process key would fail on every other instance and after each restart); elsewhere a key
 * is generated. Problems name the variable and the key's position, never key material.
 */
export function loadSigningKeys(inputs: readonly SigningKeyInput[] | undefined, mode: RuntimeMode): SigningKeys {
  if (!inputs) {
    if (mode === 'production') throw new ConfigError([`${VARIABLE}: is required in production`]);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const kid = `dev-${randomBytes(6).toString('hex')}`;
    const key = verificationKey(kid, publicKey);
    return { current: { ...key, privateKey }, all: [key], generated: true };
  }
  const imported = inputs.map((input, index) => importKey(input, index));
  const [first] = imported;
  if (!first?.privateKey) throw new ConfigError([`${VARIABLE}: the first key must be a private key`]);
  return {
    current: { ...first.key, privateKey: first.privateKey },
    all: imported.map((k) => k.key),
    generated: false,
  };
}

function importKey(input: SigningKeyInput, index: number): { key: VerificationKey; privateKey?: KeyObject } {
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    if ('jwk' in input) {
      const jwk = {
        kty: input.jwk.kty,
        crv: input.jwk.crv,
        x: input.jwk.x,
        ...(input.jwk.d ? { d: input.jwk.d } : {}),
      };
      privateKey = jwk.d ? createPrivateKey({ key: jwk, format: 'jwk' }) : undefined;
      publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey({ key: jwk, format: 'jwk' });
    } else {
      privateKey = input.pem.includes('PRIVATE KEY') ? createPrivateKey(input.pem) : undefined;
      publicKey = createPublicKey(privateKey ?? input.pem);
    }
  } catch {
    throw new ConfigError([`${VARIABLE}: key ${index + 1} (kid "${input.kid}") cannot be read`]);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError([`${VARIABLE}: key ${index + 1} (kid "${input.kid}") is not an Ed25519 key`]);
  }
  return { key: verificationKey(input.kid, publicKey), ...(privateKey ? { privateKey } : {}) };
}

function verificationKey(kid: string, publicKey: KeyObject): VerificationKey {
  const { kty, crv, x } = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  return { kid, publicKey, jwk: { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' } };
}

/**
 * The `jwtVerify` key lookup for tokens auth signed: the published key whose `kid` the header
 * names (current or previous, so tokens outlive a rotation), else jose's "no matching key".
 */
export const verificationKeyOf =
  (keys: SigningKeys) =>
  (header: JWSHeaderParameters): KeyObject => {
    const key = keys.all.find((k) => k.kid === header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key.publicKey;
  };
