import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { type Account, findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import { requireRecentStrongSignIn } from '../step-up/recent-sign-in';
import { checkSecondFactor, stepUpCounter } from '../step-up/step-up-check';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { passkeyChangedNotice } from './passkey-notices';
import { type PasskeyView, passkeyView } from './passkey-view';
import { deletePasskey, findOwnPasskey, listPasskeys, renamePasskey } from './passkeys-store';

async function accountOf(ctx: AuthContext, user: AuthenticatedUser): Promise<Account> {
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw authErrors.invalidAccessToken();
  return account;
}

/** The signed-in user's passkeys, newest first. */
export async function listOwnPasskeys(ctx: AuthContext, user: AuthenticatedUser): Promise<PasskeyView[]> {
  return (await listPasskeys(ctx.db, user.accountId)).map(passkeyView);
}

/** Renames one of the user's passkeys: 404 AUTH_PASSKEY_NOT_FOUND when it is not theirs. */
export async function renameOwnPasskey(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
  name: string,
): Promise<PasskeyView> {
  const renamed = await renamePasskey(ctx.db, user.accountId, id, name);
  if (!renamed) throw authErrors.passkeyNotFound();
  return passkeyView(renamed);
}

/**
 * Whether the account would keep no strong factor (no authenticator app, no other passkey) once
 * this passkey goes. Reads the account's passkey rows with a row lock, so two concurrent removals
 * of its last two passkeys cannot both see "one more left".
 */
async function isLastStrongFactor(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const passkeys = await trx
    .selectFrom('auth_passkeys')
    .select('id')
    .where('account_id', '=', accountId)
    .forUpdate()
    .execute();
  if (passkeys.length > 1) return false;
  const totp = await trx
    .selectFrom('auth_totp')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is not', null)
    .executeTakeFirst();
  return totp === undefined;
}

/**
 * Removes one of the user's passkeys (404 AUTH_PASSKEY_NOT_FOUND when it is not theirs). Removing
 * the last strong factor turns two-factor off, which a stolen access token must not do: it then
 * needs a fresh proof, the password (counted like a sign-in), a passkey answer (purpose
 * `remove_passkey`, counted on the step-up counter) or a sign-in within AUTH_RECENT_SIGN_IN_SECONDS,
 * else 401 AUTH_REAUTHENTICATION_REQUIRED (OWASP ASVS 4.0 3.7.1, NIST SP 800-63B-4 re-authentication).
 * A proof given when not needed is still checked. `passkey.removed` and a "passkey removed" notice
 * with a freeze link commit with the removal.
 */
export async function removeOwnPasskey(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
  input: {
    password?: string | undefined;
    passkey?: { ceremonyId: string; response: AuthenticationResponseJSON } | undefined;
    context: ClientContext;
  },
): Promise<void> {
  const account = await accountOf(ctx, user);
  if (!(await findOwnPasskey(ctx.db, account.id, id))) throw authErrors.passkeyNotFound();
  let proven = false;
  if (input.passkey) {
    await checkSecondFactor(ctx, {
      account,
      counter: stepUpCounter(account),
      proof: { passkey: input.passkey },
      context: input.context,
      purpose: 'remove_passkey',
    });
    proven = true;
  } else if (input.password !== undefined) {
    await requireRecentStrongSignIn(ctx, user, input);
    proven = true;
  }
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!proven && (await isLastStrongFactor(trx, account.id))) await requireRecentStrongSignIn(ctx, user, input);
    const removed = await deletePasskey(trx, account.id, id);
    if (!removed) throw authErrors.passkeyNotFound();
    await publish(trx, [
      securityEvent('passkey.removed', account.id, {
        passkeyId: removed.id,
        name: removed.name,
        context: input.context,
      }),
      await passkeyChangedNotice(trx, ctx, account, 'passkey_removed', removed.name, now),
    ]);
  });
}
