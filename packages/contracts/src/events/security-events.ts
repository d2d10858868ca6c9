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
    /** Authentication methods used (RFC 8176): pwd, otp, recovery, hwk or swk (a passkey) with user. */
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
    /** `wrong_passkey`: a passkey answer that did not verify for a known account (bad signature, origin, counter...). */
    reason: z.enum(['wrong_password', 'wrong_second_factor', 'wrong_passkey', 'locked', 'frozen']),
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

/** Device-bound (`singleDevice`) or synced (`multiDevice`): the credential's backup-eligible flag (W3C WebAuthn L3 §6.1.3). */
const passkeyDeviceType = z.enum(['singleDevice', 'multiDevice']);

/** A passkey was registered on the account (the user was signed in and proved it recently). */
export const passkeyRegistered = envelope(
  'passkey.registered',
  1,
  withContext({
    passkeyId: z.uuid(),
    name: z.string().max(100),
    /** The authenticator model (AAGUID); all zeros when it does not say (attestation `none`). */
    aaguid: z.string().max(36),
    deviceType: passkeyDeviceType,
  }),
);

/** The account's owner removed one of their passkeys. */
export const passkeyRemoved = envelope(
  'passkey.removed',
  1,
  withContext({ passkeyId: z.uuid(), name: z.string().max(100) }),
);

/**
 * A passkey presented a signature counter not above the stored one (W3C WebAuthn L3 §6.1.1): a
 * sign the authenticator may have been cloned. The sign-in was refused; support-cases opens a case.
 */
export const passkeyCounterRegressed = envelope(
  'passkey.counter_regressed',
  1,
  withContext({
    passkeyId: z.uuid(),
    storedCounter: z.number().int().nonnegative(),
    presentedCounter: z.number().int().nonnegative(),
  }),
);

/** What auth's risk check can notice at a password sign-in (see services/auth/risk-policy.yaml). */
export const SIGN_IN_RISK_SIGNALS = [
  'new_device',
  'new_ip',
  'new_country',
  'impossible_travel',
  'credential_stuffing',
  'password_blocklisted',
  'theft_suspected',
  'freeze_history',
] as const;
export const signInRiskSignal = z.enum(SIGN_IN_RISK_SIGNALS);
export type SignInRiskSignal = z.infer<typeof signInRiskSignal>;

/** `deny` answers like a wrong password; `step_up` asks for a second factor (or an e-mailed code). */
export const SIGN_IN_RISK_DECISIONS = ['allow', 'step_up', 'deny'] as const;
export const signInRiskDecision = z.enum(SIGN_IN_RISK_DECISIONS);
export type SignInRiskDecision = z.infer<typeof signInRiskDecision>;

/**
 * Auth's risk decision at a sign-in whose password was right: the signals that fired with the
 * points each added, and the version of the policy that decided. Recorded for every verified
 * password, `deny` included (the caller was answered like a wrong password).
 */
export const signInRiskAssessed = envelope(
  'sign_in.risk_assessed',
  1,
  withContext({
    decision: signInRiskDecision,
    /** Sum of the fired signals' points, compared with the policy's thresholds. */
    score: z.number().int().nonnegative(),
    signals: z
      .array(
        z.object({
          signal: signInRiskSignal,
          points: z.number().int().nonnegative(),
          /** A sentence an agent can read ("31 accounts tried from this IP in 15 min"). */
          detail: z.string().max(300),
        }),
      )
      .max(SIGN_IN_RISK_SIGNALS.length),
    policyVersion: z.string().min(1).max(64),
  }),
);

export const refreshTokenReused = envelope('refresh_token.reused', 1, withContext({ sessionId: z.uuid() }));

/** The payment a confirmation is about (see `authConfirmationsApi`): its id and the wallet's transaction id. */
const confirmationRef = { confirmationId: z.uuid(), transactionId: z.string().min(1).max(128) };

/** The owner approved a payment confirmation bound to the transaction's details (PSD2 RTS art. 5). */
export const paymentConfirmationApproved = envelope(
  'payment_confirmation.approved',
  1,
  withContext({ ...confirmationRef, method: z.enum(['passkey', 'totp']) }),
);

/**
 * The owner refused a payment confirmation: they did not make this payment. Counted on the
 * account's step-up failure counter (the one authenticator codes count on), so a stream of
 * payments pushed at the owner locks it like wrong codes would.
 */
export const paymentConfirmationRefused = envelope(
  'payment_confirmation.refused',
  1,
  withContext({
    ...confirmationRef,
    /** Failures on the step-up counter in its current window, this refusal included. */
    refusals: z.number().int().nonnegative(),
  }),
);

/** A payment confirmation expired while pending: nobody approved or refused it in time. */
export const paymentConfirmationAbandoned = envelope('payment_confirmation.abandoned', 1, withContext(confirmationRef));

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
  paymentConfirmationApproved,
  paymentConfirmationRefused,
  paymentConfirmationAbandoned,
  passkeyRegistered,
  passkeyRemoved,
  passkeyCounterRegressed,
  signInRiskAssessed,
]);
export type SecurityEvent = z.infer<typeof securityEvent>;
export type SecurityEventType = SecurityEvent['type'];
export type SecurityEventOf<T extends SecurityEventType> = Extract<SecurityEvent, { type: T }>;
