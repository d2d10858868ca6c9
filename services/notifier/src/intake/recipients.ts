import type { authInternalApi } from '@wallet-guard/contracts';
import type { ServiceClient } from '@wallet-guard/http';
import { backoffDelay, type EffectContext } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import { waitKeepingAlive } from '../deliveries/deliver';

export type AuthClient = ServiceClient<typeof authInternalApi>;

/** Where a message about an account goes: its address and language, as auth keeps them. */
export interface Recipient {
  email: string;
  locale: string;
}

/**
 * The account's address and language from auth's internal API; `undefined` when auth has no such
 * account (404). While auth cannot answer, waits and asks again (backoff up to 30 s, keeping the
 * consumer alive): case events keep their order and none is skipped. Throws only when stopping.
 */
export async function findRecipient(
  auth: AuthClient,
  accountId: string,
  context: EffectContext,
  logger: Logger,
): Promise<Recipient | undefined> {
  for (let attempt = 0; ; attempt++) {
    const answer = await auth.getAccount({ params: { id: accountId } });
    if (answer.outcome === 'ok') return { email: answer.body.email, locale: answer.body.locale };
    if (answer.outcome === 'refused' && answer.status === 404) return undefined;
    const reason = answer.outcome === 'refused' ? `auth refused: ${answer.code ?? answer.status}` : answer.message;
    logger.warn({ accountId, attempt, reason }, 'cannot look up the recipient; retrying');
    await waitKeepingAlive(backoffDelay(attempt, 500, 30_000), context);
    if (context.signal.aborted) throw new Error('stopping before the recipient was found');
  }
}
