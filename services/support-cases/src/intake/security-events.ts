import { type SecurityEvent, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { EventHandler } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { CUSTOMER, SYSTEM } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import { incidentKinds } from '../cases/case-rules';
import { recordIncident, resolveSelfUnlocked } from '../cases/incidents';

/**
 * auth.security-events.v1 -> cases: a lock opens (or adds to) the account's lockout case, a
 * freeze its frozen case, a reused refresh token a hijack case, a passkey whose signature counter
 * went backwards a P1 cloned-authenticator case; the user unlocking their own account resolves the
 * lockout case nobody has picked up.
 */
export function securityEventsHandler(context: CaseContext): EventHandler<typeof TOPICS.securityEvents> {
  return {
    group: 'support-cases.security-events',
    topic: TOPICS.securityEvents,
    async handle(trx, events) {
      for (const { event } of events) await apply(trx, context, event);
    },
  };
}

async function apply(trx: Transaction<Database>, context: CaseContext, event: SecurityEvent): Promise<void> {
  const evidence = [{ kind: 'security_event' as const, ref: event.eventId }];
  const data = { eventId: event.eventId, eventType: event.type, occurredAt: event.occurredAt };
  switch (event.type) {
    case 'account.locked': {
      const p = event.payload;
      const until = p.hard ? 'until an unlock, a reset or an agent lifts it' : `until ${p.lockedUntil}`;
      await recordIncident(trx, context, {
        kind: incidentKinds.lockout(event.accountId),
        accountId: event.accountId,
        // An open theft case already holds what an agent needs to know about this account.
        joinKeys: [`theft:${event.accountId}`],
        actor: SYSTEM,
        detail: `Locked ${until} after ${p.failures} failures${p.lastIp ? ` (last from ${p.lastIp})` : ''}; lock ${p.lockCount} in 24 h`,
        evidence,
        data: { ...data, hard: p.hard, failures: p.failures, lastIp: p.lastIp },
      });
      return;
    }
    case 'account.frozen': {
      const p = event.payload;
      // A freeze done from a case (an agent's action, a customer's theft report) belongs to that
      // case (or the case it was merged into), if it is a case of this account: the case id is
      // whatever auth was given, and another account's case must not receive this account's freeze.
      await recordIncident(trx, context, {
        kind: incidentKinds.frozen(event.accountId),
        accountId: event.accountId,
        ...(p.caseId ? { joinCaseId: p.caseId } : {}),
        joinKeys: [`theft:${event.accountId}`],
        actor: p.by === 'user' ? CUSTOMER : SYSTEM,
        detail: `Account frozen by ${p.by}${p.actor ? ` (${p.actor})` : ''}${p.reason ? `: ${p.reason}` : ''}`,
        evidence,
        data: { ...data, by: p.by },
      });
      return;
    }
    case 'refresh_token.reused':
      await recordIncident(trx, context, {
        kind: incidentKinds.sessionHijack(event.accountId),
        accountId: event.accountId,
        actor: SYSTEM,
        detail: `A refresh token of session ${event.payload.sessionId} was used twice; the session was revoked`,
        evidence,
        data: { ...data, sessionId: event.payload.sessionId },
      });
      return;
    case 'passkey.counter_regressed': {
      const p = event.payload;
      await recordIncident(trx, context, {
        kind: incidentKinds.clonedAuthenticator(event.accountId),
        accountId: event.accountId,
        // The theft case of this account, when one is open, is where the agent needs to see this.
        joinKeys: [`theft:${event.accountId}`],
        actor: SYSTEM,
        detail:
          `Passkey ${p.passkeyId} presented signature counter ${p.presentedCounter}, not above the stored ` +
          `${p.storedCounter}: two authenticators may hold it. The sign-in was refused${p.context.ip ? ` (from ${p.context.ip})` : ''}`,
        evidence,
        data: { ...data, passkeyId: p.passkeyId, storedCounter: p.storedCounter, presentedCounter: p.presentedCounter },
      });
      return;
    }
    case 'account.unlocked':
      if (event.payload.by === 'user' || event.payload.by === 'reset') {
        await resolveSelfUnlocked(
          trx,
          context,
          event.accountId,
          event.payload.by === 'reset'
            ? 'The user reset their password, which lifted the lock'
            : 'The user unlocked the account with the unlock link',
        );
      }
      return;
    default:
      return;
  }
}
