import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A software WebAuthn authenticator for API tests (W3C WebAuthn Level 3 §6): it makes ES256
 * (P-256) credentials with node:crypto and answers registration and authentication options the
 * way a browser plus a platform authenticator would, as `PublicKeyCredential.toJSON()` JSON.
 * Attestation is `none`. Every field a test needs to break is an override: the origin the
 * "browser" writes into clientDataJSON, the RP id whose hash goes into authenticatorData, user
 * verification, the signature counter, the challenge. Not for production: no secure storage.
 */

/** The options fields this authenticator reads (what @simplewebauthn/server generates). */
export interface CreationOptions {
  challenge: string;
  rp: { id?: string | undefined; name: string };
  user: { id: string; name: string; displayName: string };
}

export interface RequestOptions {
  challenge: string;
  rpId?: string | undefined;
  allowCredentials?: { id: string }[] | undefined;
}

/** What a test may change about one answer. */
export interface AnswerOverrides {
  /** The origin written into clientDataJSON (default: the authenticator's). */
  origin?: string;
  /** The RP id hashed into authenticatorData (default: the options' or the authenticator's). */
  rpId?: string;
  /** Report user verification (flag UV); default true. */
  userVerified?: boolean;
  /** Answer this challenge instead of the options' (base64url). */
  challenge?: string;
  /** clientDataJSON's type (default webauthn.create / webauthn.get). */
  type?: string;
}

export interface AssertionOverrides extends AnswerOverrides {
  /** Sign with this credential (default: the first allowed one this authenticator holds, or its newest). */
  credentialId?: string;
  /** Present this signature counter instead of the next one (the stored counter is not moved). */
  counter?: number;
  /** Flip a bit of the signature. */
  corruptSignature?: boolean;
  /** Send this user handle (base64url) instead of the credential's, or none (null). */
  userHandle?: string | null;
}

interface Credential {
  id: string;
  privateKey: KeyObject;
  cosePublicKey: Uint8Array;
  userHandle: string;
  rpId: string;
  counter: number;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** The few CBOR (RFC 8949) items a `none` attestation object and a COSE key need. */
function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const head = Buffer.alloc(3);
  head[0] = (major << 5) | 25;
  head.writeUInt16BE(length, 1);
  return head;
}
const cborInt = (n: number) => (n >= 0 ? cborHead(0, n) : cborHead(1, -1 - n));
const cborBytes = (bytes: Uint8Array) => Buffer.concat([cborHead(2, bytes.length), bytes]);
const cborText = (text: string) => Buffer.concat([cborHead(3, Buffer.byteLength(text)), Buffer.from(text)]);
const cborMap = (entries: [Buffer, Buffer][]) => Buffer.concat([cborHead(5, entries.length), ...entries.flat()]);

/** An EC2 P-256 ES256 public key as a COSE_Key (RFC 9053 §7.1.1, RFC 9052 §7). */
function coseKeyOf(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return cborMap([
    [cborInt(1), cborInt(2)], // kty: EC2
    [cborInt(3), cborInt(-7)], // alg: ES256
    [cborInt(-1), cborInt(1)], // crv: P-256
    [cborInt(-2), cborBytes(Buffer.from(jwk.x as string, 'base64url'))],
    [cborInt(-3), cborBytes(Buffer.from(jwk.y as string, 'base64url'))],
  ]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export class SoftwareAuthenticator {
  readonly origin: string;
  readonly rpId: string;
  /** Synced passkey (flags BE and BS) or device-bound. */
  readonly backupEligible: boolean;
  readonly aaguid: Uint8Array;
  private readonly credentials: Credential[] = [];

  constructor(options: { origin?: string; rpId?: string; backupEligible?: boolean; aaguid?: Uint8Array } = {}) {
    this.origin = options.origin ?? 'http://localhost:4005';
    this.rpId = options.rpId ?? 'localhost';
    this.backupEligible = options.backupEligible ?? false;
    this.aaguid = options.aaguid ?? new Uint8Array(16);
  }

  /** Credential ids this authenticator holds, oldest first. */
  get credentialIds(): string[] {
    return this.credentials.map((c) => c.id);
  }

  /** The stored signature counter of a credential. */
  counterOf(credentialId: string): number {
    return this.find(credentialId).counter;
  }

  /**
   * A copy holding the same credentials (private keys and counters), like a cloned authenticator:
   * the copy's counter moves independently, so one of the two soon goes backwards.
   */
  clone(): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator(this);
    for (const c of this.credentials) copy.credentials.push({ ...c });
    return copy;
  }

  /** Answers `navigator.credentials.create()`: a new credential (counter 0) in a `none` attestation. */
  register(options: CreationOptions, overrides: AnswerOverrides = {}) {
    const rpId = overrides.rpId ?? options.rp.id ?? this.rpId;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credentialIdBytes = randomBytes(32);
    const credential: Credential = {
      id: b64url(credentialIdBytes),
      privateKey,
      cosePublicKey: coseKeyOf(publicKey),
      userHandle: options.user.id,
      rpId,
      counter: 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialIdBytes.length);
    const authData = Buffer.concat([
      this.authDataHead(rpId, FLAG_AT, overrides.userVerified ?? true, 0),
      this.aaguid,
      idLength,
      credentialIdBytes,
      credential.cosePublicKey,
    ]);
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.create', options.challenge, overrides);
    const attestationObject = cborMap([
      [cborText('fmt'), cborText('none')],
      [cborText('attStmt'), cborMap([])],
      [cborText('authData'), cborBytes(authData)],
    ]);
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /**
   * Answers `navigator.credentials.get()`: signs authenticatorData || SHA-256(clientDataJSON) with
   * the credential's key (ES256, DER), counter one above the last one it signed.
   */
  authenticate(options: RequestOptions, overrides: AssertionOverrides = {}) {
    const credential = this.pick(options, overrides.credentialId);
    const rpId = overrides.rpId ?? options.rpId ?? credential.rpId;
    let counter: number;
    if (overrides.counter === undefined) {
      credential.counter += 1;
      counter = credential.counter;
    } else {
      counter = overrides.counter;
    }
    const authData = this.authDataHead(rpId, 0, overrides.userVerified ?? true, counter);
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.get', options.challenge, overrides);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    if (overrides.corruptSignature) signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0x01;
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(overrides.userHandle === null ? {} : { userHandle: overrides.userHandle ?? credential.userHandle }),
      },
    };
  }

  private authDataHead(rpId: string, extraFlags: number, userVerified: boolean, counter: number): Buffer {
    let flags = FLAG_UP | extraFlags;
    if (userVerified) flags |= FLAG_UV;
    if (this.backupEligible) flags |= FLAG_BE | FLAG_BS;
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), signCount]);
  }

  private clientData(type: string, challenge: string, overrides: AnswerOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  private pick(options: RequestOptions, credentialId: string | undefined): Credential {
    if (credentialId) return this.find(credentialId);
    const allowed = options.allowCredentials?.map((c) => c.id);
    const usable = allowed ? this.credentials.filter((c) => allowed.includes(c.id)) : this.credentials;
    const credential = usable.at(-1);
    if (!credential) throw new Error('this authenticator holds no credential the options allow');
    return credential;
  }

  private find(credentialId: string): Credential {
    const credential = this.credentials.find((c) => c.id === credentialId);
    if (!credential) throw new Error(`no credential ${credentialId} on this authenticator`);
    return credential;
  }
}
