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

export const recoveryCodesLowNotification = envelope(
  'notification.recovery_codes_low',
  1,
  z.object({ ...base, remaining: z.number().int().nonnegative() }),
);

export const notification = z.discriminatedUnion('type', [
  unlockLinkNotification,
  passwordResetLinkNotification,
  newSignInNotification,
  passwordChangedNotification,
  accountFrozenNotification,
  twoFactorChangedNotification,
  recoveryCodesLowNotification,
]);
export type Notification = z.infer<typeof notification>;
