import { createHmac, randomBytes } from 'node:crypto';
import type { Argon2Params, Pepper } from '@wallet-guard/config';
import argon2 from 'argon2';

/** A stored password: the PHC string and the pepper key mixed in before hashing (if any). */
export interface StoredPassword {
  hash: string;
  pepperId: string | null;
}

/**
 * argon2id with an optional HMAC pepper. Passwords are NFKC-normalised first, so the same
 * characters typed on another keyboard verify. Hashing and verifying run on libuv's threads;
 * callers take a turn in the `HashingPool` first.
 */
export class PasswordHasher {
  private constructor(
    private readonly params: Argon2Params,
    private readonly peppers: ReadonlyMap<string, Buffer>,
    private readonly currentPepper: string | null,
    private readonly dummy: StoredPassword,
  ) {}

  /** Builds the hasher and the dummy hash unknown emails are checked against (current parameters). */
  static async create(params: Argon2Params, peppers: readonly Pepper[]): Promise<PasswordHasher> {
    const keys = new Map(peppers.map((p) => [p.id, Buffer.from(p.keyBase64, 'base64')]));
    const current = peppers[0]?.id ?? null;
    const seed = new PasswordHasher(params, keys, current, { hash: '', pepperId: null });
    const dummy = await seed.hash(randomBytes(24).toString('base64url'));
    return new PasswordHasher(params, keys, current, dummy);
  }

  async hash(password: string): Promise<StoredPassword> {
    const hash = await argon2.hash(this.input(password, this.currentPepper), {
      type: argon2.argon2id,
      memoryCost: this.params.memoryCost,
      timeCost: this.params.timeCost,
      parallelism: this.params.parallelism,
    });
    return { hash, pepperId: this.currentPepper };
  }

  /** Never throws: a malformed hash or a pepper that is no longer configured verifies as false. */
  async verify(stored: StoredPassword, password: string): Promise<boolean> {
    if (stored.pepperId !== null && !this.peppers.has(stored.pepperId)) {
      await this.verifyDummy(password);
      return false;
    }
    try {
      return await argon2.verify(stored.hash, this.input(password, stored.pepperId));
    } catch {
      return false;
    }
  }

  /** Costs what a real verify costs and always fails: unknown emails and locked accounts pay it. */
  async verifyDummy(password: string): Promise<void> {
    await this.verify(this.dummy, password);
  }

  /** True when the hash was made with other parameters or another pepper than configured now. */
  needsRehash(stored: StoredPassword): boolean {
    if (stored.pepperId !== this.currentPepper) return true;
    try {
      return argon2.needsRehash(stored.hash, {
        memoryCost: this.params.memoryCost,
        timeCost: this.params.timeCost,
        parallelism: this.params.parallelism,
      });
    } catch {
      return true;
    }
  }

  private input(password: string, pepperId: string | null): string {
    const normalised = password.normalize('NFKC');
    const key = pepperId === null ? undefined : this.peppers.get(pepperId);
    return key ? createHmac('sha256', key).update(normalised, 'utf8').digest('base64') : normalised;
  }
}
