import type { InternalAccountView } from '@wallet-guard/contracts';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { isLocked } from '../lockout/lockout-policy';
import { listActiveCounters } from '../lockout/lockout-store';
import { listActiveSessions } from '../sessions/sessions-store';
import { findAccount } from './accounts-store';
import { emailKey } from './email';

/** What an agent sees of an account: status, locks per source, two-factor, sessions, dates. */
export async function internalAccountView(ctx: AuthContext, accountId: string): Promise<InternalAccountView> {
  const account = await findAccount(ctx.db, accountId);
  if (!account) throw authErrors.accountNotFound();
  const now = ctx.clock();
  const [counters, sessions, twoFactor] = await Promise.all([
    listActiveCounters(ctx.db, emailKey(account.emailNormalized), now, ctx.config.lockout),
    listActiveSessions(ctx.db, account.id, now),
    ctx.secondFactor.isEnabled(account.id),
  ]);
  const locks = counters.map((c) => ({
    subject: c.subject,
    locked: isLocked(c, now),
    hard: c.hard,
    lockedUntil: c.lockedUntil && c.lockedUntil > now ? c.lockedUntil.toISOString() : null,
    failures: c.failures,
  }));
  return {
    accountId: account.id,
    email: account.email,
    locale: account.locale,
    status: account.status,
    frozen: account.frozen
      ? { at: account.frozen.at.toISOString(), by: account.frozen.by, reason: account.frozen.reason }
      : null,
    locked: locks.some((l) => l.locked),
    locks,
    twoFactorEnabled: twoFactor,
    activeSessions: sessions.length,
    createdAt: account.createdAt.toISOString(),
    lastLoginAt: account.lastLoginAt?.toISOString() ?? null,
    passwordChangedAt: account.passwordChangedAt.toISOString(),
  };
}
