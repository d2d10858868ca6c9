import { z } from 'zod';
import { clientContext, envelope, isoDateTime } from '../envelope';

/**
 * `auth.notifications.v1`: what the wallet must deliver to its user, in the user's language.
 * Tokens (unlock, reset, freeze) travel here and nowhere else; the wallet builds the links.
 */
const base = {
  email: z.email(),
  /** BCP 47 tag chosen at registration, e.g. "en", "de-AT". */
  locale: z.string().min(2).max(35),
};

const singleUseToken = { token: z.string().min(20).max(200), expiresAt: isoDateTime };

export const unlockLinkNotification = envelope('notification.unlock_link', 1, z.object({ ...base, ...singleUseToken }));

/**
 * The owner's last warning before a permanent block (the `psd2` lockout profile; RTS on SCA,
 * Reg. (EU) 2018/389 Art. 4(4): "The payer shall be alerted before the block is made permanent").
 * Sent with the last temporary lock instead of the plain unlock link: `token` unlocks, as an
 * unlock link's does; `lockedUntil` is when the temporary block ends by itself; `failures` is how
 * many failed attempts in a row led to it. Nothing about who tried goes to them: the answer to the
 * person trying stays the same 401.
 */
export const lockoutFinalWarningNotification = envelope(
  'notification.lockout_final_warning',
  1,
  z.object({
    ...base,
    ...singleUseToken,
    lockedUntil: isoDateTime,
    failures: z.number().int().positive(),
  }),
);

export const passwordResetLinkNotification = envelope(
  'notification.password_reset_link',
  1,
  z.object({ ...base, ...singleUseToken }),
);

/** "Was this you?" after a sign-in from a new device or IP, with a token that freezes the account. */
export const newSignInNotification = envelope(
  'notification.new_sign_in',
  1,
  z.object({
    ...base,
    freezeToken: z.string().min(20).max(200),
    freezeTokenExpiresAt: isoDateTime,
    context: clientContext.default({}),
  }),
);

export const passwordChangedNotification = envelope(
  'notification.password_changed',
  1,
  z.object({ ...base, freezeToken: z.string().min(20).max(200), freezeTokenExpiresAt: isoDateTime }),
);

export const accountFrozenNotification = envelope('notification.account_frozen', 1, z.object({ ...base }));

export const twoFactorChangedNotification = envelope(
  'notification.two_factor_changed',
  1,
  z.object({
    ...base,
    change: z.enum(['enabled', 'disabled', 'recovery_codes_regenerated', 'passkey_added', 'passkey_removed']),
    /**
     * The passkey's name as the user gave it (`passkey_added` / `passkey_removed` only). The notifier
     * leaves it out of e-mails: it is text whoever added the passkey chose.
     */
    passkeyName: z.string().max(100).optional(),
    /** "Was this you? No": freezes the account (optional; added later, older producers omit it). */
    freezeToken: z.string().min(20).max(200).optional(),
    freezeTokenExpiresAt: isoDateTime.optional(),
  }),
);

/**
 * A 6-digit sign-in code for the second step of a risky sign-in of an account without a second
 * factor (issue 16). The code goes in the e-mail's body, never in a link; `context` says where the
 * sign-in comes from, and the freeze token is the "this wasn't me" link, as for a new sign-in.
 */
export const signInCodeNotification = envelope(
  'notification.sign_in_code',
  1,
  z.object({
    ...base,
    code: z.string().regex(/^\d{6}$/),
    /** When the code stops working (AUTH_EMAIL_CODE_TTL_SECONDS after it was sent). */
    expiresAt: isoDateTime,
    freezeToken: z.string().min(20).max(200),
    freezeTokenExpiresAt: isoDateTime,
    context: clientContext.default({}),
  }),
);

export const recoveryCodesLowNotification = envelope(
  'notification.recovery_codes_low',
  1,
  z.object({ ...base, remaining: z.number().int().nonnegative() }),
);

export const notification = z.discriminatedUnion('type', [
  unlockLinkNotification,
  lockoutFinalWarningNotification,
  passwordResetLinkNotification,
  newSignInNotification,
  passwordChangedNotification,
  accountFrozenNotification,
  twoFactorChangedNotification,
  recoveryCodesLowNotification,
  signInCodeNotification,
]);
export type Notification = z.infer<typeof notification>;
