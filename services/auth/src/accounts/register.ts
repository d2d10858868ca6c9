import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { addToHistory } from '../passwords/password-store';
import { publish, securityEvent } from '../security-events/publish';
import { findAccountByEmail, insertAccount, rememberSources } from './accounts-store';
import { displayEmail, normaliseEmail } from './email';

/**
 * Creates an account. The password policy runs first (its answer does not depend on the email
 * being taken); a taken email is 409, as the contract asks: the wallet backend must not show
 * that to the public as is. The registering device and IP count as known sources.
 */
export async function register(
  ctx: AuthContext,
  input: { email: string; password: string; locale: string; context: ClientContext },
): Promise<string> {
  const email = displayEmail(input.email);
  const normalised = normaliseEmail(input.email);
  const violations = await ctx.policy.violations(input.password, normalised);
  if (violations.length > 0) throw authErrors.passwordPolicy(violations);
  // Spares a hash for the common case; the unique index still decides a race.
  if (await findAccountByEmail(ctx.db, normalised)) throw authErrors.emailTaken();
  const stored = await ctx.hashing.run(() => ctx.hasher.hash(input.password));
  const now = ctx.clock();
  return commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const id = await insertAccount(
      trx,
      { email, emailNormalized: normalised, locale: input.locale, password: stored },
      now,
    );
    if (!id) throw authErrors.emailTaken();
    await addToHistory(trx, id, stored);
    await rememberSources(trx, id, input.context, now);
    await publish(trx, [securityEvent('account.created', id, { context: input.context })]);
    return id;
  });
}
