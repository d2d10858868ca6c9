import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from '@wallet-guard/config';

/** A secret as stored: base64url of nonce (12 bytes), ciphertext and GCM tag (16 bytes), and the key's id. */
export interface SealedSecret {
  keyId: string;
  ciphertext: string;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The configured keys by id; the first one seals. */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: readonly SecretKey[]) {
    const first = keys[0];
    if (!first) throw new Error('SecretBox needs at least one key');
    this.currentKeyId = first.id;
    this.keys = new Map(keys.map((k) => [k.id, Buffer.from(k.keyBase64, 'base64')]));
  }

  canOpen(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /**
   * AES-256-GCM under the current key with a fresh random nonce. `context` (the account and what
   * the secret is for) is authenticated but not stored, so a ciphertext copied into another
   * account's row does not open there.
   */
  seal(plaintext: Uint8Array, context: string): SealedSecret {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      keyId: this.currentKeyId,
      ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url'),
    };
  }

  /** The plaintext; throws when the key is unknown or the ciphertext, key or context do not match. */
  open(sealed: SealedSecret, context: string): Uint8Array {
    const raw = Buffer.from(sealed.ciphertext, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), raw.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return new Uint8Array(
      Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]),
    );
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`no encryption key with id "${id}" is configured`);
    return key;
  }
}
