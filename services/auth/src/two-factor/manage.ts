import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { verifyCurrentPassword } from '../passwords/change-password';
import { publish, securityEvent } from '../security-events/publish';
import { requireRecentSignIn } from '../step-up/recent-sign-in';
import type { StepUpProof } from '../step-up/second-factor-provider';
import { requireStepUp } from '../step-up/step-up-check';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { accountOf, twoFactorChangedNotice } from './enrolment';
import { newRecoveryCodeSet } from './recovery-codes';
import { countUnusedRecoveryCodes, deleteRecoveryCodes, replaceRecoveryCodes } from './recovery-codes-store';
import { deleteTotp, findTotp, isTotpEnabled } from './totp-store';

export interface TwoFactorStatus {
  enabled: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(ctx: AuthContext, user: AuthenticatedUser): Promise<TwoFactorStatus> {
  const active = (await findTotp(ctx.db, user.accountId))?.active;
  if (!active) return { enabled: false, enrolledAt: null, recoveryCodesLeft: 0 };
  return {
    enabled: true,
    enrolledAt: active.enabledAt.toISOString(),
    recoveryCodesLeft: await countUnusedRecoveryCodes(ctx.db, user.accountId),
  };
}

/** Waits for (and then holds) the account's two-factor row, so a concurrent disable cannot slip between. */
async function lockEnabledTotp(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('auth_totp')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Turns two-factor off: the password (counted like a sign-in) and a code or recovery code (counted
 * on the step-up counter). The secret and every recovery code go; `totp.disabled` (a takeover
 * signal for the transaction monitor) and a notice with a freeze token go out.
 */
export async function disableTwoFactor(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  if (!(await isTotpEnabled(ctx.db, user.accountId))) throw authErrors.totpNotEnabled();
  const account = await verifyCurrentPassword(ctx, user, input.password, input.context);
  await requireStepUp(ctx, account, input, input.context, 'disable');
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await deleteTotp(trx, account.id))) throw authErrors.totpNotEnabled();
    await deleteRecoveryCodes(trx, account.id);
    await publish(trx, [
      securityEvent('totp.disabled', account.id, { context: input.context }),
      await twoFactorChangedNotice(trx, ctx, account, 'disabled', now),
    ]);
  });
}

/**
 * A new set of recovery codes for a code (or one of the old codes), with the password or a recent
 * sign-in (`requireRecentSignIn`); the old set dies in the same transaction.
 */
export async function regenerateRecoveryCodes(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password?: string | undefined; context: ClientContext } & StepUpProof,
): Promise<{ recoveryCodes: string[] }> {
  const account = await accountOf(ctx, user);
  if (!(await isTotpEnabled(ctx.db, account.id))) throw authErrors.totpNotEnabled();
  await requireRecentSignIn(ctx, user, input);
  await requireStepUp(ctx, account, input, input.context, 'regenerate');
  const set = newRecoveryCodeSet();
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await lockEnabledTotp(trx, account.id))) throw authErrors.totpNotEnabled();
    await replaceRecoveryCodes(trx, account.id, set.hashed, now);
    await publish(trx, [
      securityEvent('recovery_codes.regenerated', account.id, { context: input.context }),
      await twoFactorChangedNotice(trx, ctx, account, 'recovery_codes_regenerated', now),
    ]);
  });
  return { recoveryCodes: set.codes };
}
