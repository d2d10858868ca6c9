import type { HashingPool } from './hashing-pool';
import type { PasswordHasher, StoredPassword } from './password-hasher';
import {
  emailInputs,
  type PolicySettings,
  type PolicyViolation,
  quickViolations,
  reusedViolation,
  strengthViolations,
} from './password-policy';
import type { StrengthEstimator } from './strength';

/**
 * The whole password policy: the cheap rules, zxcvbn on its worker thread, and (for an existing
 * account) the last passwords, each checked with argon2 in a hashing turn.
 */
export class PasswordPolicy {
  constructor(
    readonly settings: PolicySettings,
    private readonly common: ReadonlySet<string>,
    private readonly strength: StrengthEstimator,
    private readonly hasher: PasswordHasher,
    private readonly hashing: HashingPool,
  ) {}

  /** Every broken rule; empty when the password may be used. `recent` is newest first. */
  async violations(
    password: string,
    email: string,
    recent: readonly StoredPassword[] = [],
  ): Promise<PolicyViolation[]> {
    const quick = quickViolations(password, email, this.settings, this.common);
    // zxcvbn time grows with length; an over-long password is refused without it.
    if (quick.some((v) => v.reason === 'too_long')) return quick;
    const estimate = await this.strength.estimate(password, emailInputs(email));
    const containsEmail = quick.some((v) => v.reason === 'contains_email');
    const violations = [...quick, ...strengthViolations(estimate, this.settings, containsEmail)];
    // Checking history costs one argon2 verify per password: only for an otherwise acceptable one.
    if (violations.length === 0 && (await this.reusesAny(password, recent.slice(0, this.settings.history)))) {
      violations.push(reusedViolation(this.settings.history));
    }
    return violations;
  }

  private async reusesAny(password: string, recent: readonly StoredPassword[]): Promise<boolean> {
    for (const stored of recent) {
      if (await this.hashing.run(() => this.hasher.verify(stored, password))) return true;
    }
    return false;
  }

  close(): Promise<void> {
    return this.strength.close();
  }
}
