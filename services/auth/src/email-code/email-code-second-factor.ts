import { commitThenDeliver } from '@wallet-guard/messaging';
import type { AuthContext } from '../auth-context';
import { notification, publish } from '../security-events/publish';
import type { SecondFactorProvider } from '../step-up/second-factor-provider';
import { freezeLink } from '../tokens/one-time-tokens';
import { claimEmailCode, openMfaChallenge } from '../two-factor/mfa-challenges';
import { EMAIL_CODE_AMR, newEmailCode } from './email-code';

/** What the e-mailed code works with (the application context without itself). */
type EmailCodeNeeds = Pick<AuthContext, 'db' | 'bus' | 'clock' | 'config'>;

const REJECTED = { outcome: 'rejected' } as const;

/**
 * The e-mailed sign-in code beside the account's own factors. It is no standing factor: it turns
 * two-factor on for nobody and is listed in no `methods` but its own step's. `challenge({ emailCode:
 * true })` opens a second step that takes only the code and, in the same transaction, writes
 * `notification.sign_in_code` (the code, its expiry, where the sign-in comes from and a freeze
 * link) to the outbox, so the code is mailed if and only if the step exists. The step lives as long
 * as the code (AUTH_EMAIL_CODE_TTL_SECONDS) with the usual AUTH_MFA_TOKEN_MAX_ATTEMPTS tries, each
 * counted on the password's lockout counter by the step-up check before it gets here.
 */
export function withEmailCodes(ctx: EmailCodeNeeds, inner: SecondFactorProvider): SecondFactorProvider {
  return {
    isEnabled: (accountId) => inner.isEnabled(accountId),

    methods: (accountId) => inner.methods(accountId),

    async challenge(input) {
      if (!input.emailCode) return inner.challenge(input);
      const { account, context, counter, restriction } = input;
      const now = ctx.clock();
      const ttlSeconds = ctx.config.twoFactor.emailCodeTtlSeconds;
      const code = newEmailCode();
      const mfaToken = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
        const token = await openMfaChallenge(
          trx,
          { accountId: account.id, counter, context, restriction },
          now,
          ttlSeconds,
          code,
        );
        const freeze = await freezeLink(trx, account.id, now, ctx.config.tokens.freezeTtlSeconds);
        const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
        await publish(trx, [
          notification('notification.sign_in_code', account, { code, expiresAt, ...freeze, context }),
        ]);
        return token;
      });
      return { mfaToken, methods: ['email_code'] };
    },

    async verify(input) {
      const { emailCode } = input.proof;
      if (emailCode === undefined) return inner.verify(input);
      // Good for the second sign-in step it was sent for, and nothing else (no step-up takes it).
      if (input.purpose !== 'sign_in' || !input.mfaToken || !/^\d{6}$/.test(emailCode)) return REJECTED;
      const claimed = await claimEmailCode(
        ctx.db,
        { mfaToken: input.mfaToken, accountId: input.account.id, code: emailCode },
        ctx.clock(),
      );
      return claimed ? { outcome: 'accepted', method: 'email', amr: [EMAIL_CODE_AMR] } : REJECTED;
    },
  };
}
