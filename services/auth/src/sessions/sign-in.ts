import type { ClientContext } from '@wallet-guard/contracts';
import type { SessionRestriction } from '@wallet-guard/db';
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
import { ipClient, ipRetryAfter, recordIpFailure } from '../lockout/ip-throttle';
import { locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, decrementFailures, resetFailures } from '../lockout/lockout-store';
import { checkPassword, lockAfterFailure, recordFailure } from '../lockout/password-attempt';
import type { StoredPassword } from '../passwords/password-hasher';
import { assessSignIn, countAttempt, type StuffingCounts } from '../risk/assess';
import type { RiskAssessment } from '../risk/evaluate';
import { rememberRiskSources } from '../risk/risk-store';
import { notification, publish, securityEvent } from '../security-events/publish';
import type { SecondFactorKind } from '../step-up/second-factor-provider';
import { freezeLink } from '../tokens/one-time-tokens';
import { createSession } from './sessions-store';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
  /** Only on a restricted session: what it must do before anything else (see `completeSignIn`). */
  restriction?: SessionRestriction;
}

export type SignInResult =
  | ({ kind: 'session' } & TokenPair)
  | { kind: 'mfa'; mfaRequired: true; mfaToken: string; methods: SecondFactorKind[] };

/**
 * Password sign-in. Unknown email, wrong password, locked and frozen all end in the same 401 at
 * the same cost; only an IP over its failure budget is told to wait (429), before any hashing.
 *
 * Every attempt is counted against its sources for the credential-stuffing signal (unknown emails
 * alike); a right password is then assessed under the risk policy (`risk/`), and the decision is
 * recorded as `sign_in.risk_assessed`: `deny` ends in the same 401 as a wrong password (no oracle
 * for whoever holds a leaked password list) and stays counted on the lockout counter; `step_up`
 * asks for the account's strongest factor, or a code by e-mail when it has none; a password on the
 * blocklist restricts the session to a password change.
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
  const key = emailKey(normalised);
  let stuffing: StuffingCounts = {};
  const { target, verdict } = await checkPassword(
    ctx,
    async () => {
      const [found, counts] = await Promise.all([
        findWithSources(ctx.db, { email: normalised }, context),
        countAttempt(ctx, key, context, ctx.clock()),
      ]);
      stuffing = counts;
      return { emailKey: key, account: found?.account, sources: found?.sources, context };
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
  const risk = await assessSignIn(ctx, {
    account,
    sources: target.sources,
    context,
    password: input.password,
    stuffing,
  });
  ctx.metrics.riskDecisions.inc({ decision: risk.decision });
  for (const fired of risk.signals) ctx.metrics.riskSignals.inc({ signal: fired.signal });
  if (risk.decision === 'deny') {
    // The failure the attempt was counted as stays on the lockout counter (no reset), and the IP's;
    // when it was the attempt that reaches the threshold (or the profile's cap), it locks like a
    // wrong password would, with the owner's unlock e-mail: otherwise later attempts would be refused
    // with no lock on record and nobody told.
    await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
      const now = ctx.clock();
      if (context.ip) await recordIpFailure(trx, ipClient(context.ip, ctx.config.lockout), now);
      const messages: OutboxMessage[] = [riskAssessedEvent(account.id, risk, context)];
      if (locksOnFailure(verdict.position, ctx.config.lockout)) {
        const reason = 'too_many_failures';
        const locked = await lockAfterFailure(ctx, trx, {
          account,
          key: verdict.key,
          reason,
          failures: verdict.position,
          context,
          now,
        });
        messages.push(...locked.messages);
      }
      await publish(trx, messages);
    });
    ctx.metrics.signIns.inc({ outcome: 'rejected' });
    throw authErrors.invalidCredentials();
  }
  const restriction = risk.passwordBlocklisted ? ('password_change' as const) : undefined;
  const rehashed = await rehashIfNeeded(ctx, account, input.password);
  const hasFactor = await ctx.secondFactor.isEnabled(account.id);
  if (hasFactor || risk.decision === 'step_up') {
    ctx.metrics.signIns.inc({ outcome: 'second_factor_required' });
    // A right password is no failure, so it gives back the number it took; but the counter is not
    // reset: the failures before it and the codes after it count together until a code is right.
    await decrementFailures(ctx.db, verdict.key, ctx.clock());
    if (rehashed) await replacePasswordHash(ctx.db, account.id, rehashed);
    await commitThenDeliver(ctx.db, ctx.bus, (trx) => publish(trx, [riskAssessedEvent(account.id, risk, context)]));
    // The account's own factors when it has one; else a code by e-mail. `methods` from the
    // challenge: ['email_code'] for an e-mailed code, else the account's factors.
    const { mfaToken, methods } = await ctx.secondFactor.challenge({
      account,
      context,
      counter: verdict.key,
      emailCode: !hasFactor,
      restriction,
    });
    return { kind: 'mfa', mfaRequired: true, mfaToken, methods };
  }
  return {
    kind: 'session',
    ...(await completeSignIn(ctx, {
      account,
      context,
      amr: ['pwd'],
      aal: 1,
      counter: verdict.key,
      rehashed,
      restriction,
      risk,
    })),
  };
}

/** The `sign_in.risk_assessed` event of a decision. */
function riskAssessedEvent(accountId: string, risk: RiskAssessment, context: ClientContext) {
  return securityEvent('sign_in.risk_assessed', accountId, {
    decision: risk.decision,
    score: risk.score,
    signals: risk.signals,
    policyVersion: risk.policyVersion,
    context,
  });
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
 * `restriction: 'password_change'` (the password is on the leaked-password list) starts a
 * restricted session: its access tokens carry `rst`, and every user route but password change,
 * sign-out and GET own account answers 403 AUTH_PASSWORD_CHANGE_REQUIRED until the password changes.
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
    restriction?: SessionRestriction | undefined;
    /** The password step's risk decision (an `allow`), recorded in the same transaction as the session. */
    risk?: RiskAssessment | undefined;
  },
): Promise<TokenPair> {
  const now = ctx.clock();
  const { account, context, config } = { ...input, config: ctx.config };
  const { session, refreshToken } = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    await resetFailures(trx, input.counter, now);
    await recordLogin(trx, account.id, now, input.rehashed);
    const { newDevice, newIp } = await rememberSources(trx, account.id, context, now);
    await rememberRiskSources(trx, account.id, context, now);
    const created = await createSession(
      trx,
      { accountId: account.id, amr: input.amr, aal: input.aal, context, restriction: input.restriction },
      now,
      config.tokens,
    );
    const messages: OutboxMessage[] = [
      ...(input.risk ? [riskAssessedEvent(account.id, input.risk, context)] : []),
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
    {
      accountId: account.id,
      sessionId: session.id,
      amr: session.amr,
      aal: session.aal,
      restriction: session.restriction,
    },
    now,
  );
  return {
    accessToken,
    refreshToken,
    expiresIn: ctx.accessTokens.ttlSeconds,
    sessionId: session.id,
    ...(session.restriction ? { restriction: session.restriction } : {}),
  };
}
