import { z } from 'zod';
import { clientContext, envelope, isoDateTime } from '../envelope';
import { ipAddress } from '../ip-address';

const withContext = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, context: clientContext.default({}) });

const ip = ipAddress;

/**
 * The support case an agent acted from: a uuid, since support-cases keys cases by uuid. Readers
 * treat anything else (sent before the auth API required a uuid) as no case, so such an event
 * still opens its incident instead of being dead-lettered.
 */
const caseRef = z.uuid().optional().catch(undefined);

/** Who lifted a lock or froze an account. */
export const actorKind = z.enum(['user', 'agent', 'system']);

export const accountCreated = envelope('account.created', 1, withContext({}));

export const signInSucceeded = envelope(
  'sign_in.succeeded',
  1,
  withContext({
    sessionId: z.uuid(),
    /** Authentication methods used (RFC 8176): pwd, otp, recovery. */
    amr: z.array(z.string()).min(1),
    /** First success from this device id for this account. */
    newDevice: z.boolean(),
    /** First success from this IP for this account. */
    newIp: z.boolean(),
  }),
);

export const signInFailed = envelope(
  'sign_in.failed',
  1,
  withContext({
    reason: z.enum(['wrong_password', 'wrong_second_factor', 'locked', 'frozen']),
    /** Failures counted in the current window, this one included. */
    failures: z.number().int().nonnegative(),
  }),
);

export const accountLocked = envelope(
  'account.locked',
  1,
  withContext({
    reason: z.enum(['too_many_failures', 'too_many_second_factor_failures']),
    /** Null for a hard lock, which only an unlock token, a reset or an agent lifts. */
    lockedUntil: isoDateTime.nullable(),
    hard: z.boolean(),
    failures: z.number().int().nonnegative(),
    /** Locks within the last 24 hours, this one included. */
    lockCount: z.number().int().positive(),
    lastIp: ip.nullable(),
  }),
);

export const accountUnlocked = envelope(
  'account.unlocked',
  1,
  withContext({
    /** user: unlock link; reset: password reset; agent: from a case; system: lock expired. */
    by: z.enum(['user', 'reset', 'agent', 'system']),
    actor: z.string().max(200).optional(),
    caseId: caseRef,
  }),
);

export const passwordChanged = envelope('password.changed', 1, withContext({}));
export const passwordResetRequested = envelope('password.reset_requested', 1, withContext({}));
export const passwordReset = envelope('password.reset', 1, withContext({}));
export const totpEnabled = envelope('totp.enabled', 1, withContext({}));
export const totpDisabled = envelope('totp.disabled', 1, withContext({}));
export const recoveryCodesRegenerated = envelope('recovery_codes.regenerated', 1, withContext({}));
export const recoveryCodeUsed = envelope(
  'recovery_code.used',
  1,
  withContext({ remaining: z.number().int().nonnegative() }),
);

export const accountFrozen = envelope(
  'account.frozen',
  1,
  withContext({
    by: actorKind,
    reason: z.string().max(500).optional(),
    actor: z.string().max(200).optional(),
    caseId: caseRef,
  }),
);

export const accountUnfrozen = envelope(
  'account.unfrozen',
  1,
  withContext({ actor: z.string().max(200), caseId: caseRef }),
);

export const refreshTokenReused = envelope('refresh_token.reused', 1, withContext({ sessionId: z.uuid() }));

/** Everything on `auth.security-events.v1`. */
export const securityEvent = z.discriminatedUnion('type', [
  accountCreated,
  signInSucceeded,
  signInFailed,
  accountLocked,
  accountUnlocked,
  passwordChanged,
  passwordResetRequested,
  passwordReset,
  totpEnabled,
  totpDisabled,
  recoveryCodesRegenerated,
  recoveryCodeUsed,
  accountFrozen,
  accountUnfrozen,
  refreshTokenReused,
]);
export type SecurityEvent = z.infer<typeof securityEvent>;
export type SecurityEventType = SecurityEvent['type'];
export type SecurityEventOf<T extends SecurityEventType> = Extract<SecurityEvent, { type: T }>;
