import type { AuthConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './accounts/routes';
import { BackgroundWork } from './background-work';
import type { AuthDeps, Clock } from './deps';
import { authErrors } from './errors';
import { freezeRoutes } from './freeze/routes';
import { scheduleHousekeeping } from './housekeeping';
import { unlockRoutes } from './lockout/routes';
import { createAuthMetrics } from './metrics';
import { passwordResetRoutes } from './password-resets/routes';
import { commonPasswords } from './passwords/common-passwords';
import { HashingPool } from './passwords/hashing-pool';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordPolicy } from './passwords/password-policy-service';
import { passwordRoutes } from './passwords/routes';
import { StrengthEstimator } from './passwords/strength';
import { AUTH_PRODUCER } from './security-events/publish';
import { securityEventRoutes } from './security-events/routes';
import { sessionRoutes } from './sessions/routes';
import { AccessTokens } from './tokens/access-tokens';
import { tokenRoutes } from './tokens/routes';
import { loadSigningKeys } from './tokens/signing-keys';
import { userAuthPlugin } from './tokens/user-auth';
import { twoFactorRoutes } from './two-factor/routes';
import { totpSecondFactor } from './two-factor/second-factor';
import { SecretBox } from './two-factor/secret-box';

export { AUTH_PRODUCER };

export interface AuthAppOptions {
  config: AuthConfig;
  infra: Infrastructure;
  /** Tests move time; everything else uses the system clock. */
  clock?: Clock | undefined;
  /** Tests pass their own to wait for work done after answering. */
  background?: BackgroundWork | undefined;
}

/**
 * The auth service as a fastify plugin: infrastructure first (docs, metrics, health, errors,
 * API keys), then the shared application pieces (hashing, policy, tokens), then each capability's
 * routes. It never listens; `server.ts` does.
 */
export async function authApp(app: FastifyInstance, options: AuthAppOptions): Promise<void> {
  const { config, infra } = options;
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

  const deps = await buildDeps(app, options);
  await app.register(userAuthPlugin, { deps });
  for (const routes of [
    accountRoutes,
    sessionRoutes,
    passwordRoutes,
    passwordResetRoutes,
    unlockRoutes,
    freezeRoutes,
    tokenRoutes,
    securityEventRoutes,
    twoFactorRoutes,
  ]) {
    await app.register(routes, { deps });
  }
  const stopHousekeeping = scheduleHousekeeping(deps);
  app.addHook('onClose', async () => {
    stopHousekeeping();
    await deps.background.settled();
    await deps.policy.close();
  });
}

async function buildDeps(
  app: FastifyInstance,
  { config, infra, clock, background }: AuthAppOptions,
): Promise<AuthDeps> {
  const keys = loadSigningKeys(config.tokens.signingKeys, config.mode);
  if (keys.generated) {
    app.log.warn(
      'auth: no AUTH_JWT_SIGNING_KEYS configured - access tokens are signed with a key generated for this process ' +
        '(they stop verifying after a restart and on other instances). Never run like this in production.',
    );
  }
  if (config.twoFactor.usingDevKey) {
    app.log.warn(
      'auth: AUTH_TOTP_ENCRYPTION_KEYS holds the development key - two-factor secrets are encrypted with a key ' +
        'anyone can read in the source. Never run like this in production.',
    );
  }
  const { retryAfterSeconds } = config.passwords.hashing;
  let rejected = () => {};
  const whenFull = () => {
    rejected();
    return authErrors.busy(retryAfterSeconds);
  };
  const hashing = new HashingPool(config.passwords.hashing, whenFull);
  const metrics = createAuthMetrics(app.metricsRegistry, hashing);
  rejected = () => metrics.hashingRejected.inc();
  const hasher = await PasswordHasher.create(config.passwords.argon2, config.passwords.peppers);
  const strength = new StrengthEstimator(whenFull);
  return {
    config,
    db: infra.db,
    bus: infra.bus,
    logger: app.log,
    clock: clock ?? (() => new Date()),
    hashing,
    hasher,
    policy: new PasswordPolicy(config.passwords.policy, commonPasswords(), strength, hasher, hashing),
    accessTokens: new AccessTokens(keys, config.tokens),
    secondFactor: totpSecondFactor,
    secretBox: new SecretBox(config.twoFactor.encryptionKeys),
    metrics,
    background: background ?? new BackgroundWork(),
  };
}
