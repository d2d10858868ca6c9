import type { InternalAccountView } from '@wallet-guard/contracts';
import type { AuthDeps } from '../deps';
import { authErrors } from '../errors';
import { isLocked } from '../lockout/lockout-policy';
import { activeCounters } from '../lockout/lockout-store';
import { listActiveSessions } from '../sessions/sessions-store';
import { findAccount } from './accounts-store';
import { emailKey } from './email';

/** What an agent sees of an account: status, locks per source, two-factor, sessions, dates. */
export async function internalAccountView(deps: AuthDeps, accountId: string): Promise<InternalAccountView> {
  const account = await findAccount(deps.db, accountId);
  if (!account) throw authErrors.accountNotFound();
  const now = deps.clock();
  const [counters, sessions, twoFactor] = await Promise.all([
    activeCounters(deps.db, emailKey(account.emailNormalized), now, deps.config.lockout),
    listActiveSessions(deps.db, account.id, now),
    deps.secondFactor.isEnabled(deps.db, account.id),
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
