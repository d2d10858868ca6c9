import type { ClientContext } from '@wallet-guard/contracts';
import type { Account, SourceHistory } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { commonPasswords } from '../passwords/common-passwords';
import { quickViolations } from '../passwords/password-policy';
import { evaluateRisk, type RiskAssessment, type StuffingSource } from './evaluate';
import { countSourceAttempts, loadAccountRisk, stuffingSources } from './risk-store';

/** What the risk check uses of the application context (a benchmark builds just this). */
export type RiskCheckContext = Pick<AuthContext, 'db' | 'clock' | 'risk' | 'policy'>;

export type StuffingCounts = Partial<Record<StuffingSource, number>>;

/**
 * Counts this password attempt against its sources (IP, IPv6 network, device) and returns how
 * many distinct accounts each has tried in the policy's window. Runs for every attempt, before the
 * password is checked and whether or not the email has an account: the same statement either way,
 * so neither timing nor the counts tell one from the other. Nothing to do for a request that
 * names no source.
 */
export function countAttempt(
  ctx: Pick<AuthContext, 'db' | 'risk'>,
  emailKey: string,
  context: ClientContext,
  now: Date,
): Promise<StuffingCounts> {
  const { credential_stuffing: stuffing } = ctx.risk.current().signals;
  return countSourceAttempts(
    ctx.db,
    stuffingSources(context, stuffing.ipv6PrefixBits),
    emailKey,
    now,
    new Date(now.getTime() - stuffing.windowSeconds * 1000),
  );
}

/**
 * The risk decision for a sign-in whose password was right, under the policy in force: one
 * indexed read of the account's risk state (countries, last location, open theft suspicion,
 * freeze history), a Set lookup for the blocklist, and the pure evaluation. `stuffing` comes from
 * `countAttempt`, done before the password was checked. Never reads the policy file.
 */
export async function assessSignIn(
  ctx: RiskCheckContext,
  input: {
    account: Account;
    sources: SourceHistory | undefined;
    context: ClientContext;
    password: string;
    stuffing: StuffingCounts;
  },
): Promise<RiskAssessment> {
  const now = ctx.clock();
  const policy = ctx.risk.current();
  const { account, context, sources } = input;
  const state = await loadAccountRisk(ctx.db, account.id, {
    theftSince: new Date(now.getTime() - policy.signals.theft_suspected.openHours * 3_600_000),
    freezeSince: new Date(now.getTime() - policy.signals.freeze_history.withinDays * 86_400_000),
  });
  // The password policy's own check of the common list (NFKC, case-insensitive), nothing else of it.
  const passwordBlocklisted = quickViolations(input.password, '', ctx.policy.settings, commonPasswords()).some(
    (v) => v.reason === 'common',
  );
  return evaluateRisk(
    {
      newDevice: context.deviceId !== undefined && !sources?.deviceLastSuccess,
      newIp: context.ip !== undefined && !sources?.ipLastSuccess,
      country: context.country,
      knownCountries: state.knownCountries,
      location:
        context.lat !== undefined && context.lon !== undefined ? { lat: context.lat, lon: context.lon } : undefined,
      lastLocation: state.lastLocation,
      stuffing: input.stuffing,
      passwordBlocklisted,
      theftSuspectedAt: state.theftSuspectedAt,
      frozenAt: state.frozenAt,
    },
    policy,
    now,
  );
}

/**
 * Only the risk check of one sign-in, as `signIn` runs it (the stuffing count, then the
 * assessment), without hashing or writing the session: what a benchmark times to show the check's
 * own cost. Writes the attempt into the stuffing table like a real sign-in.
 */
export async function runRiskCheck(
  ctx: RiskCheckContext,
  input: {
    account: Account;
    sources?: SourceHistory | undefined;
    emailKey: string;
    context: ClientContext;
    password: string;
  },
): Promise<RiskAssessment> {
  const stuffing = await countAttempt(ctx, input.emailKey, input.context, ctx.clock());
  return assessSignIn(ctx, { ...input, sources: input.sources, stuffing });
}
