import type { ClientContext } from '@wallet-guard/contracts';
import type { OutboxMessage } from '@wallet-guard/messaging';
import type { Account } from '../accounts/accounts-store';
import { type AuthDeps, inTransaction } from '../deps';
import { notification, publish, securityEvent } from '../security-events/publish';
import type { SecondFactor, StepUpPurpose } from '../sessions/second-factor';
import { openMfaChallenge } from './mfa-challenges';
import { findRecoveryCode, RECOVERY_CODES } from './recovery-codes';
import { countUnusedRecoveryCodes, markRecoveryCodeUsed, unusedRecoveryCodes } from './recovery-codes-store';
import { matchTotpCode } from './totp';
import { claimTimeStep, findTotp, isTotpEnabled } from './totp-store';

/** Authenticated with every sealed secret, so a ciphertext only opens in its own account's row. */
export const secretContext = (accountId: string): string => `totp:${accountId}`;

/**
 * An authenticator code of the account, accepted at most once: the step it matched must be later
 * than the last accepted one, and recording it is one atomic update (of concurrent requests with
 * the same code exactly one wins).
 */
async function useTotpCode(deps: AuthDeps, accountId: string, code: string): Promise<boolean> {
  const active = (await findTotp(deps.db, accountId))?.active;
  if (!active) return false;
  const now = deps.clock();
  const match = await matchTotpCode({
    secret: deps.secretBox.open(active.secret, secretContext(accountId)),
    code,
    at: now,
    driftSteps: deps.config.twoFactor.driftSteps,
    afterStep: active.lastUsedStep,
  });
  return match !== null && claimTimeStep(deps.db, accountId, active.secret, match.step, now);
}

/**
 * A recovery code of the account, used up atomically with its `recovery_code.used` event, and a
 * warning to the owner when two or fewer are left (unless this use replaces or drops the set).
 */
async function useRecoveryCode(
  deps: AuthDeps,
  account: Account,
  code: string,
  context: ClientContext,
  purpose: StepUpPurpose,
): Promise<boolean> {
  const stored = await unusedRecoveryCodes(deps.db, account.id);
  const match = stored[findRecoveryCode(code, stored)];
  if (!match) return false;
  const now = deps.clock();
  return inTransaction(deps, async (trx) => {
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

/** TOTP (RFC 6238) with recovery codes as the fallback: the auth service's second factor. */
export const totpSecondFactor: SecondFactor = {
  isEnabled: isTotpEnabled,

  async challenge(deps, { account, context, counter }) {
    const { mfaTokenTtlSeconds } = deps.config.twoFactor;
    const mfaToken = await openMfaChallenge(
      deps.db,
      { accountId: account.id, counter, context },
      deps.clock(),
      mfaTokenTtlSeconds,
    );
    return { mfaToken };
  },

  async verify(deps, { account, proof, context, purpose }) {
    if (proof.totpCode) return (await useTotpCode(deps, account.id, proof.totpCode)) ? 'otp' : null;
    if (proof.recoveryCode) {
      return (await useRecoveryCode(deps, account, proof.recoveryCode, context, purpose)) ? 'recovery' : null;
    }
    return null;
  },
};
