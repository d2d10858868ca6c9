import type { AuthConfig } from '@wallet-guard/config';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthContext } from './auth-context';
import { BackgroundWork } from './background-work';
import { type Clock, systemClock } from './clock';
import { ConfirmationTokens } from './confirmations/confirmation-tokens';
import { withEmailCodes } from './email-code/email-code-second-factor';
import { authErrors } from './errors';
import { createAuthMetrics } from './metrics';
import { withPasskeys } from './passkeys/passkey-second-factor';
import { commonPasswords } from './passwords/common-passwords';
import { HashingPool } from './passwords/hashing-pool';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordPolicy } from './passwords/password-policy-service';
import { StrengthEstimator } from './passwords/strength';
import { DEFAULT_RISK_POLICY_FILE, type PolicyReloadResult, RiskPolicyStore } from './risk/policy-store';
import { AccessTokens } from './tokens/access-tokens';
import { loadSigningKeys } from './tokens/signing-keys';
import { SecretBox } from './two-factor/secret-box';
import { totpSecondFactor } from './two-factor/totp-second-factor';

const DECORATOR = 'authContext';

/**
 * The application context of an auth app, for the route plugins and the Bearer check; throws at
 * boot when one is registered without the `auth-application` plugin.
 */
export const authContextOf = (app: FastifyInstance): AuthContext => app.getDecorator<AuthContext>(DECORATOR);

export interface AuthContextOptions {
  config: AuthConfig;
  infra: Infrastructure;
  /** Tests move time; everything else uses the system clock. */
  clock?: Clock | undefined;
  /** Tests pass their own to wait for work done after answering. */
  background?: BackgroundWork | undefined;
  /** Tests get the context built, to drive a capability below its routes (the app is encapsulated). */
  onContext?: ((ctx: AuthContext) => void) | undefined;
}

/**
 * The application tier: builds the hashing line, the password policy, the token signer, the
 * second factor and the metrics once, and decorates the app with them (`authContextOf`). On
 * close it waits for the work started after answering, then stops the policy's worker.
 */
export const authContextPlugin = fp<AuthContextOptions>(
  async (app, options) => {
    const ctx = await buildAuthContext(app, options);
    app.decorate(DECORATOR, ctx);
    options.onContext?.(ctx);
    app.addHook('onClose', async () => {
      await ctx.background.settled();
      await ctx.policy.close();
      ctx.risk.close();
    });
  },
  { name: 'auth-application', dependencies: ['service-kit'], fastify: '5.x' },
);

async function buildAuthContext(
  app: FastifyInstance,
  { config, infra, clock, background }: AuthContextOptions,
): Promise<AuthContext> {
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
  // First: a policy file that does not validate stops the start before anything else is built.
  let reloaded = (_result: PolicyReloadResult) => {};
  const risk = new RiskPolicyStore({
    path: config.risk.policyFile ?? DEFAULT_RISK_POLICY_FILE,
    logger: app.log,
    onReload: (result) => reloaded(result),
  });
  const { retryAfterSeconds } = config.passwords.hashing;
  let rejected = () => {};
  const whenFull = () => {
    rejected();
    return authErrors.busy(retryAfterSeconds);
  };
  const hashing = new HashingPool(config.passwords.hashing, whenFull);
  const metrics = createAuthMetrics(app.metricsRegistry, hashing);
  rejected = () => metrics.hashingRejected.inc();
  reloaded = (result) => metrics.riskPolicyReloads.inc({ result: result.status });
  const hasher = await PasswordHasher.create(config.passwords.argon2, config.passwords.peppers);
  const strength = new StrengthEstimator(whenFull);
  const shared = {
    config,
    db: infra.db,
    bus: infra.bus,
    logger: app.log,
    clock: clock ?? systemClock,
    secretBox: new SecretBox(config.twoFactor.encryptionKeys),
  };
  return {
    ...shared,
    hashing,
    hasher,
    policy: new PasswordPolicy(config.passwords.policy, commonPasswords(), strength, hasher, hashing),
    risk,
    accessTokens: new AccessTokens(keys, config.tokens),
    confirmationTokens: new ConfirmationTokens(keys, config.tokens.issuer, config.confirmations.tokenTtlSeconds),
    secondFactor: withEmailCodes(shared, withPasskeys(shared, totpSecondFactor(shared))),
    metrics,
    background: background ?? new BackgroundWork(),
  };
}
