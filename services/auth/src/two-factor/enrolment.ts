import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { type Account, findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { notification, publish, securityEvent } from '../security-events/publish';
import { requireRecentSignIn } from '../step-up/recent-sign-in';
import { freezeLink } from '../tokens/one-time-tokens';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { qrCodes } from './qr-code';
import { newRecoveryCodeSet } from './recovery-codes';
import { replaceRecoveryCodes } from './recovery-codes-store';
import { base32Secret, matchTotpCode, newTotpSecret, otpauthUri } from './totp';
import { secretContext } from './totp-second-factor';
import { activateTotp, findTotp, savePendingSecret } from './totp-store';

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
  qrCodePngDataUrl: string;
}

/** The signed-in user's account (a valid access token of a deleted account is no longer valid). */
export async function accountOf(ctx: AuthContext, user: AuthenticatedUser): Promise<Account> {
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw authErrors.invalidAccessToken();
  return account;
}

/**
 * "Two-factor changed" for the owner, with a freeze token: someone holding a stolen session could
 * turn two-factor on (locking the owner out) or off.
 */
export async function twoFactorChangedNotice(
  trx: Transaction<Database>,
  ctx: AuthContext,
  account: Account,
  change: 'enabled' | 'disabled' | 'recovery_codes_regenerated',
  now: Date,
): Promise<OutboxMessage> {
  const freeze = await freezeLink(trx, account.id, now, ctx.config.tokens.freezeTtlSeconds);
  return notification('notification.two_factor_changed', account, { change, ...freeze });
}

/**
 * Starts enrolment: a new 160-bit secret, sealed and stored as pending (replacing an earlier
 * pending one), shown once as base32, otpauth URI and QR code. Two-factor stays off until a code
 * confirms it; while it is on, 409 (turning it off takes the password and a code). Needs the
 * password or a recent sign-in (`requireRecentSignIn`): with a stolen access token alone, an
 * attacker would enrol their own authenticator and lock the owner out of reset and unlock. The
 * confirmation needs no more: it completes only a secret this step handed out.
 */
export async function startEnrolment(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password?: string | undefined; context: ClientContext },
): Promise<Enrolment> {
  await requireRecentSignIn(ctx, user, input);
  const account = await accountOf(ctx, user);
  const secret = newTotpSecret();
  const sealed = ctx.secretBox.seal(secret, secretContext(account.id));
  if (!(await savePendingSecret(ctx.db, account.id, sealed, ctx.clock()))) throw authErrors.totpAlreadyEnabled();
  const { issuer, label } = ctx.config.twoFactor;
  const uri = otpauthUri({ issuer, label: label.replaceAll('{email}', account.email), secret });
  const qr = await qrCodes(uri);
  return { secret: base32Secret(secret), otpauthUri: uri, qrCodeSvg: qr.svg, qrCodePngDataUrl: qr.pngDataUrl };
}

/**
 * Confirms enrolment with a code of the pending secret: two-factor is on from here, the code's
 * time step counts as used (it cannot sign in afterwards), and the first recovery codes are
 * returned, this once. A wrong code is 422 and not counted: whoever holds the session was just
 * shown the secret, so there is nothing to guess.
 */
export async function confirmEnrolment(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { code: string; context: ClientContext },
): Promise<{ recoveryCodes: string[] }> {
  const account = await accountOf(ctx, user);
  const now = ctx.clock();
  const record = await findTotp(ctx.db, account.id);
  if (record?.active) throw authErrors.totpAlreadyEnabled();
  const pending = record?.pending;
  const { enrolmentTtlSeconds, driftSteps } = ctx.config.twoFactor;
  if (!pending || pending.createdAt.getTime() + enrolmentTtlSeconds * 1000 <= now.getTime()) {
    throw authErrors.totpNotPending();
  }
  const match = await matchTotpCode({
    secret: ctx.secretBox.open(pending.secret, secretContext(account.id)),
    code: input.code,
    at: now,
    driftSteps,
    afterStep: null,
  });
  if (!match) throw authErrors.totpCodeRejected();
  const set = newRecoveryCodeSet();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    // Another confirmation won, or a new enrolment replaced the secret meanwhile.
    if (!(await activateTotp(trx, account.id, pending.secret, match.step, now))) throw authErrors.totpNotPending();
    await replaceRecoveryCodes(trx, account.id, set.hashed, now);
    await publish(trx, [
      securityEvent('totp.enabled', account.id, { context: input.context }),
      await twoFactorChangedNotice(trx, ctx, account, 'enabled', now),
    ]);
  });
  return { recoveryCodes: set.codes };
}
