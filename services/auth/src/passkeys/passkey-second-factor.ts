import type { SecondFactorKind, SecondFactorProvider } from '../step-up/second-factor-provider';
import { checkAssertion, type PasskeyNeeds } from './ceremonies';
import { countPasskeys } from './passkeys-store';

/**
 * The second factor with passkeys beside the authenticator app: two-factor is on when TOTP is or
 * when the account has a passkey; a `passkey` proof is checked here (against a ceremony started
 * for this very step), codes by `totp`. Passkey answers are never counted here: the step-up
 * check counts every proof on its lockout counter before asking.
 */
export function withPasskeys(ctx: PasskeyNeeds, totp: SecondFactorProvider): SecondFactorProvider {
  const methods = async (accountId: string): Promise<SecondFactorKind[]> => {
    const codes: SecondFactorKind[] = await totp.methods(accountId);
    return (await countPasskeys(ctx.db, accountId)) > 0 ? [...codes, 'passkey'] : codes;
  };
  return {
    async isEnabled(accountId) {
      return (await totp.isEnabled(accountId)) || (await countPasskeys(ctx.db, accountId)) > 0;
    },

    methods,

    async challenge(input) {
      const { mfaToken } = await totp.challenge(input);
      return { mfaToken, methods: await methods(input.account.id) };
    },

    async verify(input) {
      const { passkey } = input.proof;
      if (!passkey) return totp.verify(input);
      const check = await checkAssertion(ctx, {
        ceremonyId: passkey.ceremonyId,
        response: passkey.response,
        accountId: input.account.id,
        context: input.context,
        ...(input.purpose === 'sign_in'
          ? { purpose: 'second_step', boundTo: input.boundTo }
          : { purpose: 'step_up', boundTo: input.purpose }),
      });
      if (check.outcome === 'accepted') {
        return { outcome: 'accepted', method: check.amr[0] === 'hwk' ? 'hwk' : 'swk', amr: check.amr };
      }
      return check.outcome === 'challenge_invalid' ? { outcome: 'challenge_invalid' } : { outcome: 'rejected' };
    },
  };
}
