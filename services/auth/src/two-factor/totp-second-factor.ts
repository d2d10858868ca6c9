import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver, type OutboxMessage } from '@wallet-guard/messaging';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { notification, publish, securityEvent } from '../security-events/publish';
import type { SecondFactorKind, SecondFactorProvider, StepUpPurpose } from '../step-up/second-factor-provider';
import { openMfaChallenge } from './mfa-challenges';
import { findRecoveryCode, RECOVERY_CODES } from './recovery-codes';
import { countUnusedRecoveryCodes, markRecoveryCodeUsed, unusedRecoveryCodes } from './recovery-codes-store';
import { matchTotpCode } from './totp';
import { claimTimeStep, findTotp, isTotpEnabled } from './totp-store';

/** What the TOTP second factor works with (the application context without itself). */
type TotpNeeds = Pick<AuthContext, 'db' | 'bus' | 'clock' | 'config' | 'secretBox'>;

/** Authenticated with every sealed secret, so a ciphertext only opens in its own account's row. */
export const secretContext = (accountId: string): string => `totp:${accountId}`;

/**
 * An authenticator code of the account, accepted at most once: the step it matched must be later
 * than the last accepted one, and recording it is one atomic update (of concurrent requests with
 * the same code exactly one wins).
 */
async function useTotpCode(ctx: TotpNeeds, accountId: string, code: string): Promise<boolean> {
  const active = (await findTotp(ctx.db, accountId))?.active;
  if (!active) return false;
  const now = ctx.clock();
  const match = await matchTotpCode({
    secret: ctx.secretBox.open(active.secret, secretContext(accountId)),
    code,
    at: now,
    driftSteps: ctx.config.twoFactor.driftSteps,
    afterStep: active.lastUsedStep,
  });
  return match !== null && claimTimeStep(ctx.db, accountId, active.secret, match.step, now);
}

/**
 * A recovery code of the account, used up atomically with its `recovery_code.used` event, and a
 * warning to the owner when two or fewer are left (unless this use replaces or drops the set).
 */
async function useRecoveryCode(
  ctx: TotpNeeds,
  account: Account,
  code: string,
  context: ClientContext,
  purpose: StepUpPurpose,
): Promise<boolean> {
  const stored = await unusedRecoveryCodes(ctx.db, account.id);
  const match = stored[findRecoveryCode(code, stored)];
  if (!match) return false;
  const now = ctx.clock();
  return commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await markRecoveryCodeUsed(trx, match.id, now))) return false;
    const remaining = await countUnusedRecoveryCodes(trx, account.id);
    const messages: OutboxMessage[] = [securityEvent('recovery_code.used', account.id, { remaining, context })];
    if (remaining <= RECOVERY_CODES.lowAt && purpose !== 'regenerate' && purpose !== 'disable') {
      messages.push(notification('notification.recovery_codes_low', account, { remaining }));
    }
    await publish(trx, messages);
    return true;
  });
}

const REJECTED = { outcome: 'rejected' } as const;
const accepted = (method: 'otp' | 'recovery') => ({ outcome: 'accepted' as const, method, amr: [method] });

/** TOTP (RFC 6238) with recovery codes as the fallback: the auth service's second factor. */
export function totpSecondFactor(ctx: TotpNeeds): SecondFactorProvider {
  const methods = async (accountId: string): Promise<SecondFactorKind[]> => {
    if (!(await isTotpEnabled(ctx.db, accountId))) return [];
    return (await countUnusedRecoveryCodes(ctx.db, accountId)) > 0 ? ['totp', 'recovery'] : ['totp'];
  };
  return {
    isEnabled: (accountId) => isTotpEnabled(ctx.db, accountId),

    methods,

    async challenge({ account, context, counter, restriction }) {
      const { mfaTokenTtlSeconds } = ctx.config.twoFactor;
      const mfaToken = await openMfaChallenge(
        ctx.db,
        { accountId: account.id, counter, context, restriction },
        ctx.clock(),
        mfaTokenTtlSeconds,
      );
      return { mfaToken, methods: await methods(account.id) };
    },

    async verify({ account, proof, context, purpose }) {
      if (proof.totpCode) return (await useTotpCode(ctx, account.id, proof.totpCode)) ? accepted('otp') : REJECTED;
      if (proof.recoveryCode) {
        return (await useRecoveryCode(ctx, account, proof.recoveryCode, context, purpose))
          ? accepted('recovery')
          : REJECTED;
      }
      return REJECTED;
    },
  };
}
