import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver, type OutboxMessage } from '@wallet-guard/messaging';
import {
  type Account,
  findWithSources,
  recordLogin,
  rememberSources,
  replacePasswordHash,
} from '../accounts/accounts-store';
import { emailKey, normaliseEmail } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { ipClient, ipRetryAfter } from '../lockout/ip-throttle';
import { type CounterKey, decrementFailures, resetFailures } from '../lockout/lockout-store';
import { checkPassword, recordFailure } from '../lockout/password-attempt';
import type { StoredPassword } from '../passwords/password-hasher';
import { notification, publish, securityEvent } from '../security-events/publish';
import type { SecondFactorKind } from '../step-up/second-factor-provider';
import { freezeLink } from '../tokens/one-time-tokens';
import { createSession } from './sessions-store';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

export type SignInResult =
  | ({ kind: 'session' } & TokenPair)
  | { kind: 'mfa'; mfaRequired: true; mfaToken: string; methods: SecondFactorKind[] };

/**
 * Password sign-in. Unknown email, wrong password, locked and frozen all end in the same 401 at
 * the same cost; only an IP over its failure budget is told to wait (429), before any hashing.
 */
export async function signIn(
  ctx: AuthContext,
  input: { email: string; password: string; context: ClientContext },
): Promise<SignInResult> {
  const { context } = input;
  if (context.ip) {
    const { lockout } = ctx.config;
    const retryAfter = await ipRetryAfter(
      ctx.db,
      ipClient(context.ip, lockout),
      ctx.clock(),
      lockout.ipFailuresPerMinute,
    );
    if (retryAfter !== null) {
      ctx.metrics.signIns.inc({ outcome: 'rate_limited' });
      throw authErrors.rateLimited(retryAfter);
    }
  }
  const normalised = normaliseEmail(input.email);
  const { target, verdict } = await checkPassword(
    ctx,
    async () => {
      const found = await findWithSources(ctx.db, { email: normalised }, context);
      return { emailKey: emailKey(normalised), account: found?.account, sources: found?.sources, context };
    },
    input.password,
  );
  if (verdict.outcome === 'rejected') {
    await recordFailure(ctx, target, verdict);
    // One outcome for every refusal: /metrics must not tell whoever just tried an email whether it has
    // an account, or whether that account is locked or frozen (the answer is one 401 for the same reason).
    ctx.metrics.signIns.inc({ outcome: 'rejected' });
    throw authErrors.invalidCredentials();
  }
  const { account } = verdict;
  const rehashed = await rehashIfNeeded(ctx, account, input.password);
  if (await ctx.secondFactor.isEnabled(account.id)) {
    ctx.metrics.signIns.inc({ outcome: 'second_factor_required' });
    // A right password is no failure, so it gives back the number it took; but the counter is not
    // reset: the failures before it and the codes after it count together until a code is right.
    await decrementFailures(ctx.db, verdict.key, ctx.clock());
    if (rehashed) await replacePasswordHash(ctx.db, account.id, rehashed);
    const { mfaToken } = await ctx.secondFactor.challenge({ account, context, counter: verdict.key });
    return { kind: 'mfa', mfaRequired: true, mfaToken, methods: await ctx.secondFactor.methods(account.id) };
  }
  return {
    kind: 'session',
    ...(await completeSignIn(ctx, { account, context, amr: ['pwd'], aal: 1, counter: verdict.key, rehashed })),
  };
}

/**
 * A new hash when the stored one was made with other argon2 parameters or another pepper. Best
 * effort: when the hashing line is full the sign-in goes ahead and a later one rehashes.
 */
async function rehashIfNeeded(
  ctx: AuthContext,
  account: Account,
  password: string,
): Promise<StoredPassword | undefined> {
  if (!ctx.hasher.needsRehash(account.password)) return undefined;
  try {
    return await ctx.hashing.run(() => ctx.hasher.hash(password));
  } catch (error) {
    ctx.logger.warn({ accountId: account.id, err: error }, 'rehash skipped');
    return undefined;
  }
}

/**
 * Every factor checked: starts the session and records the success in one transaction (counter
 * reset, known device and IP, the `sign_in.succeeded` event and, from a new device or IP, a "was
 * this you?" notification with a freeze token). The two-factor step ends here too.
 */
export async function completeSignIn(
  ctx: AuthContext,
  input: {
    account: Account;
    context: ClientContext;
    amr: readonly string[];
    aal: number;
    counter: CounterKey;
    rehashed?: StoredPassword | undefined;
  },
): Promise<TokenPair> {
  const now = ctx.clock();
  const { account, context, config } = { ...input, config: ctx.config };
  const { session, refreshToken } = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    await resetFailures(trx, input.counter, now);
    await recordLogin(trx, account.id, now, input.rehashed);
    const { newDevice, newIp } = await rememberSources(trx, account.id, context, now);
    const created = await createSession(
      trx,
      { accountId: account.id, amr: input.amr, aal: input.aal, context },
      now,
      config.tokens,
    );
    const messages: OutboxMessage[] = [
      securityEvent('sign_in.succeeded', account.id, {
        sessionId: created.session.id,
        amr: [...input.amr],
        newDevice,
        newIp,
        context,
      }),
    ];
    if (newDevice || newIp) {
      const freeze = await freezeLink(trx, account.id, now, config.tokens.freezeTtlSeconds);
      messages.push(notification('notification.new_sign_in', account, { ...freeze, context }));
    }
    await publish(trx, messages);
    return created;
  });
  ctx.metrics.signIns.inc({ outcome: 'success' });
  const accessToken = await ctx.accessTokens.sign(
    { accountId: account.id, sessionId: session.id, amr: session.amr, aal: session.aal },
    now,
  );
  return { accessToken, refreshToken, expiresIn: ctx.accessTokens.ttlSeconds, sessionId: session.id };
}
