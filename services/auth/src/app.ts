import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './accounts/routes';
import { type AuthContextOptions, authContextOf, authContextPlugin } from './application';
import { confirmationRoutes } from './confirmations/routes';
import { freezeRoutes } from './freeze/routes';
import { scheduleHousekeeping } from './housekeeping';
import { unlockRoutes } from './lockout/routes';
import { passkeyRoutes } from './passkeys/routes';
import { passwordResetRoutes } from './password-resets/routes';
import { passwordRoutes } from './passwords/routes';
import { theftSuspicionsHandler } from './risk/theft-suspicions-handler';
import { ownSecurityEventRoutes } from './security-events/own-routes';
import { AUTH_PRODUCER } from './security-events/publish';
import { securityEventRoutes } from './security-events/routes';
import { sessionRoutes } from './sessions/routes';
import { tokenRoutes } from './tokens/routes';
import { userAuthPlugin } from './tokens/user-auth';
import { twoFactorRoutes } from './two-factor/routes';

export { AUTH_PRODUCER };

/** The configuration and infrastructure, and what tests swap (the clock, the background work). */
export type AuthAppOptions = AuthContextOptions;

/**
 * The auth service as a fastify plugin, in three tiers: infrastructure (docs, metrics, health,
 * errors, API keys, the outbox relay), then the application (the `auth-application` plugin with
 * hashing, policy, tokens and the second factor; the `user-auth` Bearer check), then each
 * capability's named route plugin, which declares what it uses so a missing piece fails at boot.
 * It never listens; `server.ts` does.
 */
export async function authApp(app: FastifyInstance, options: AuthAppOptions): Promise<void> {
  const { config, infra } = options;
  // Infrastructure.
  await app.register(serviceKit, {
    service: 'auth',
    title: 'Auth service',
    description: 'Registration, sign-in, lockout and unlock, password reset, two-factor, sessions and freeze.',
    version: '0.1.0',
    errorPrefix: 'AUTH',
    // Public keys only: verifiers must fetch them without a secret.
    publicRoutes: ['/.well-known/jwks.json'],
    readiness: infra.readiness,
    sharedMetrics: [infra.metrics],
    operations: config.operations,
  });
  await app.register(apiKeyPlugin, { keys: config.apiKeys, errorPrefix: 'AUTH' });
  infra.bus.relay(AUTH_PRODUCER);
  // The monitor's theft suspicions, for the sign-in risk check (idempotent on eventId).
  infra.bus.subscribe(theftSuspicionsHandler());

  // Application.
  await app.register(authContextPlugin, options);
  await app.register(userAuthPlugin);
  const stopHousekeeping = scheduleHousekeeping(authContextOf(app));
  app.addHook('onClose', async () => stopHousekeeping());

  // Routes.
  await app.register(accountRoutes);
  await app.register(sessionRoutes);
  await app.register(passwordRoutes);
  await app.register(passwordResetRoutes);
  await app.register(unlockRoutes);
  await app.register(freezeRoutes);
  await app.register(tokenRoutes);
  await app.register(securityEventRoutes);
  await app.register(ownSecurityEventRoutes);
  await app.register(twoFactorRoutes);
  await app.register(passkeyRoutes);
  await app.register(confirmationRoutes);
}
