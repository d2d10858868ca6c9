import { readPolicyDocument } from '@wallet-guard/config';
import { z } from 'zod';

/**
 * The sign-in risk policy file (`risk-policy.yaml`): versioned, every signal present (a typo is an
 * error, not a silently missing signal), every key known.
 */

const weight = z.number().int().min(0).max(1000);
const signal = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ weight, ...shape });
const accounts = z.number().int().min(2).max(100_000);

export const riskPolicySchema = z
  .strictObject({
    version: z.string().trim().min(1).max(64),
    description: z.string().max(2000).optional(),
    decision: z
      .strictObject({ stepUpAt: z.number().int().min(1), denyAt: z.number().int().min(1) })
      .refine((d) => d.stepUpAt <= d.denyAt, { message: 'stepUpAt must not exceed denyAt', path: ['stepUpAt'] }),
    signals: z.strictObject({
      new_device: signal({}),
      new_ip: signal({}),
      new_country: signal({}),
      impossible_travel: signal({ maxSpeedKmh: z.number().positive(), minDistanceKm: z.number().nonnegative() }),
      credential_stuffing: signal({
        /** Sliding window, seconds (at most a day: housekeeping keeps a day of attempts at most). */
        windowSeconds: z.number().int().min(60).max(86_400),
        minAccounts: z.strictObject({ ip: accounts, ipv6Prefix: accounts, device: accounts }),
        ipv6PrefixBits: z.number().int().min(16).max(128),
        severeFactor: z.number().min(1).max(100),
        severeWeight: weight,
      }),
      password_blocklisted: signal({}),
      theft_suspected: signal({
        openHours: z
          .number()
          .positive()
          .max(24 * 365),
      }),
      freeze_history: signal({ withinDays: z.number().int().positive().max(3650) }),
    }),
  })
  .readonly();
export type RiskPolicy = z.infer<typeof riskPolicySchema>;

export interface RiskPolicySnapshot {
  policy: RiskPolicy;
  /** sha256 of the file's bytes: a SIGHUP without changes is no reload. */
  digest: string;
}

/** The policy file could not be read or does not validate; `message` names the file and each problem's path. */
export class RiskPolicyFileError extends Error {
  constructor(path: string, problems: string[]) {
    super(`risk policy file ${path} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RiskPolicyFileError';
  }
}

/** Reads and validates a policy file (YAML, of which JSON is a subset). Throws `RiskPolicyFileError`. */
export function readRiskPolicyFile(path: string): RiskPolicySnapshot {
  const { value, digest } = readPolicyDocument(
    path,
    riskPolicySchema,
    (problems) => new RiskPolicyFileError(path, problems),
  );
  return { policy: value, digest };
}
